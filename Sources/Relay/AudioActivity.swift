/// How much a published audio track carried speech over one interval, from the audio level
/// its publisher writes in every packet (RFC 6464: 0 is the loudest, -0 dBov, and 127 silence).
public struct AudioActivity: Sendable, Equatable, Codable {
    public var track: TrackID
    /// Of the packets in the interval, the fraction whose level counted as speech: loud, and
    /// standing out from the track's noise floor (`AudioLevelAccumulator`).
    public var voicedFraction: Double
    /// The mean of (127 - level) / 127 over the interval's packets: 0 for silence, near 1 for
    /// the loudest.
    public var loudness: Double

    public init(track: TrackID, voicedFraction: Double, loudness: Double) {
        self.track = track
        self.voicedFraction = voicedFraction
        self.loudness = loudness
    }

    /// One number per interval for comparing speakers: speech that is both steady and loud.
    public var score: Double { voicedFraction * loudness }
}
