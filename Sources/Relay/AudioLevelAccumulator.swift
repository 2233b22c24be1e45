/// The audio levels of one track's packets since the last activity report: three counters
/// updated per packet, no allocation.
struct AudioLevelAccumulator {
    /// Levels at or below this (−dBov) count as speech: a talker close to a microphone sits
    /// around 20 to 40, a quiet room above 70.
    static let speechLevel: UInt8 = 60

    private(set) var packets = 0
    private var voiced = 0
    private var loudness = 0

    /// `level` is the extension's byte: the voice-activity flag in its top bit, then the level.
    mutating func record(_ level: UInt8) {
        let dBov = level & 0x7F
        packets += 1
        if dBov <= Self.speechLevel { voiced += 1 }
        loudness += 127 - Int(dBov)
    }

    /// What the interval held, and a fresh start; nil when no packet came.
    mutating func take(track: TrackID) -> AudioActivity? {
        guard packets > 0 else { return nil }
        defer { self = AudioLevelAccumulator() }
        return AudioActivity(
            track: track, voicedFraction: Double(voiced) / Double(packets),
            loudness: Double(loudness) / Double(packets * 127))
    }
}
