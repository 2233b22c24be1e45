/// Whether a subscriber's video should be held back because the path to it cannot carry it
/// (until layers exist, the one thing the relay can do alone): audio always keeps flowing.
///
/// Hysteresis both ways, so a dip does not blank the picture and a brief recovery does not
/// start a keyframe storm: video pauses after the estimate has stayed below audio plus half the
/// video for `pauseAfter` while the path showed congestion (loss or a rising delay) at least
/// once in that time — an estimate that is merely still climbing toward a path nobody probed
/// yet pauses nothing — and resumes after it has stayed above audio plus the video with a
/// margin for `resumeAfter`. Sans-IO: it takes the estimate, what the relay would send, whether
/// the estimator sees congestion, and the time.
public struct VideoPausePolicy: Sendable {
    public enum Change: Sendable, Equatable {
        case pause
        case resume
    }

    public var pauseAfter: UInt64 = 2_000_000_000
    public var resumeAfter: UInt64 = 2_000_000_000
    /// Below audio plus this share of the video, the path cannot carry a usable picture.
    public var pauseShare = 0.5
    /// Above audio plus this share of the video, it can again.
    public var resumeShare = 1.1

    public private(set) var isPaused = false
    private var conditionSince: UInt64?
    /// Whether congestion was seen since `conditionSince`.
    private var congestionSeen = false

    public init() {}

    /// Takes the estimate and the bitrates the relay would send the subscriber (all bits per
    /// second) at `now`, and says when video should pause or resume.
    public mutating func update(estimate: Int, audio: Int, video: Int, congested: Bool, now: UInt64) -> Change? {
        guard video > 0 else {
            conditionSince = nil
            guard isPaused else { return nil }
            isPaused = false
            return .resume
        }
        let share = isPaused ? resumeShare : pauseShare
        let threshold = Double(audio) + share * Double(video)
        let holds = isPaused ? Double(estimate) >= threshold : Double(estimate) < threshold
        guard holds else {
            conditionSince = nil
            congestionSeen = false
            return nil
        }
        let since = conditionSince ?? now
        conditionSince = since
        congestionSeen = congestionSeen || congested
        guard now - since >= (isPaused ? resumeAfter : pauseAfter), isPaused || congestionSeen else { return nil }
        conditionSince = nil
        congestionSeen = false
        isPaused.toggle()
        return isPaused ? .pause : .resume
    }
}
