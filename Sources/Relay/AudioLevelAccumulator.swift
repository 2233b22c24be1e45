/// The audio levels of one track's packets since the last activity report: counters updated
/// per packet, no allocation.
///
/// A level counts as speech when it stands out from the track's own noise floor, not only
/// when it is loud: a fan or a hum near a microphone sends a steady level as low (as loud) as
/// quiet speech, and would otherwise speak forever.
struct AudioLevelAccumulator {
    /// Levels at or below this (−dBov) can be speech: a talker close to a microphone sits
    /// around 10 to 40, a quiet room above 70.
    static let speechLevel: UInt8 = 60
    /// How far, in dB, a level must stand above the track's floor to count as speech.
    static let speechAboveFloor = 15
    /// Levels at or below this count as speech whatever the floor: only a voice, or a sound
    /// played, right at the microphone is that loud (a steady tone, too).
    static let loudLevel: UInt8 = 30
    /// How fast the floor comes down towards louder levels, in tenths of a dB a packet: 10 dB a
    /// second at 50 packets a second. It goes up to a quieter level at once, so the pauses
    /// between words keep it where the room is.
    static let floorFallPerPacket = 2

    private(set) var packets = 0
    private var voiced = 0
    private var loudness = 0
    /// The quietest recent level (−dBov) in tenths of a dB; nil before the first packet. It
    /// outlives the interval.
    private var floor: Int?

    /// `level` is the extension's byte: the voice-activity flag in its top bit, then the level.
    mutating func record(_ level: UInt8) {
        let dBov = level & 0x7F
        let tenths = Int(dBov) * 10
        let floor = max((self.floor ?? tenths) - Self.floorFallPerPacket, tenths)
        self.floor = floor
        packets += 1
        if dBov <= Self.loudLevel || (dBov <= Self.speechLevel && floor - tenths >= Self.speechAboveFloor * 10) {
            voiced += 1
        }
        loudness += 127 - Int(dBov)
    }

    /// What the interval held, and a fresh count (the floor stays); nil when no packet came.
    mutating func take(track: TrackID) -> AudioActivity? {
        guard packets > 0 else { return nil }
        defer {
            packets = 0
            voiced = 0
            loudness = 0
        }
        return AudioActivity(
            track: track, voicedFraction: Double(voiced) / Double(packets),
            loudness: Double(loudness) / Double(packets * 127))
    }
}
