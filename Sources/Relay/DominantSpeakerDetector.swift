/// Decides who in a room is the dominant speaker, from each participant's audio activity
/// reported at a steady interval. Sans-IO: `update` takes one interval's scores and the time,
/// and returns the new dominant speaker when it changes.
///
/// Hysteresis keeps it from flapping: each participant's score is smoothed over about a
/// second; the first speaker is taken once it has spoken for `firstSpeakerTime`, and another
/// replaces the current one only after speaking clearly louder than them (by
/// `replacementRatio`) without a break for `replacementTime`, so a cough or a word of assent
/// changes nothing. Silence changes nothing either: the last speaker stays until someone else
/// speaks.
public struct DominantSpeakerDetector<Participant: Hashable & Sendable>: Sendable {
    public struct Configuration: Sendable {
        /// Weight of the previous smoothed score at each interval.
        public var smoothing = 0.7
        /// A smoothed score at or above this is speech.
        public var speakingScore = 0.15
        public var firstSpeakerTime: UInt64 = 500_000_000
        public var replacementTime: UInt64 = 1_000_000_000
        public var replacementRatio = 1.5

        public init() {}
    }

    public let configuration: Configuration
    public private(set) var dominant: Participant?
    private var scores: [Participant: Double] = [:]
    /// Who is challenging the dominant speaker, and since when.
    private var challenger: (participant: Participant, since: UInt64)?

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// The smoothed score of `participant`, 0 when unknown.
    public func score(of participant: Participant) -> Double { scores[participant] ?? 0 }

    /// One interval's activity: each participant's score (`AudioActivity.score`); anyone
    /// missing was silent. Returns the dominant speaker when it changed at this update.
    public mutating func update(_ current: [Participant: Double], at now: UInt64) -> Participant? {
        for participant in Set(scores.keys).union(current.keys) {
            let previous = scores[participant] ?? 0
            scores[participant] = configuration.smoothing * previous + (1 - configuration.smoothing) * (current[participant] ?? 0)
        }
        let best = scores.filter { $0.value >= configuration.speakingScore }.max { $0.value < $1.value }?.key
        // The challenger must be speaking in this very interval, not just echoing in its
        // smoothed score: a pause ends a challenge.
        guard let candidate = best, candidate != dominant,
            current[candidate] ?? 0 >= configuration.speakingScore
        else {
            challenger = nil
            return nil
        }
        let required: UInt64
        if let dominant, let dominantScore = scores[dominant] {
            guard score(of: candidate) >= configuration.replacementRatio * dominantScore else {
                challenger = nil
                return nil
            }
            required = configuration.replacementTime
        } else {
            required = configuration.firstSpeakerTime
        }
        guard let challenge = challenger, challenge.participant == candidate else {
            challenger = (candidate, now)
            return nil
        }
        guard now - challenge.since >= required else { return nil }
        dominant = candidate
        challenger = nil
        return candidate
    }

    /// Forgets a participant who left; if they were the dominant speaker, there is none until
    /// someone speaks.
    public mutating func remove(_ participant: Participant) {
        scores[participant] = nil
        if challenger?.participant == participant { challenger = nil }
        if dominant == participant { dominant = nil }
    }
}
