import Relay

/// The relay's estimate of the path from it to one participant, as the `link` message carries
/// it: what its congestion control found it can send, what the participant reported receiving,
/// and the loss it reported.
public struct LinkEstimate: Encodable, Sendable, Equatable {
    /// Bits per second.
    public var estimate: Int
    /// Bits per second, once measured.
    public var received: Int?
    /// 0...1, over the last measured interval.
    public var loss: Double
    /// Whether the relay holds back video because the path cannot carry it (audio goes on).
    public var videoPaused: Bool
    /// Milliseconds from the relay to the participant and back, once measured.
    public var roundTrip: Int?

    public init(estimate: Int, received: Int?, loss: Double, videoPaused: Bool, roundTrip: Int? = nil) {
        self.estimate = estimate
        self.received = received
        self.loss = loss
        self.videoPaused = videoPaused
        self.roundTrip = roundTrip
    }

    init(_ estimate: SubscriberEstimate) {
        self.init(
            estimate: estimate.bitrate, received: estimate.acknowledgedBitrate,
            loss: (estimate.lossFraction * 1000).rounded() / 1000, videoPaused: estimate.videoPaused,
            roundTrip: estimate.roundTripTime.map { Int($0 / 1_000_000) })
    }
}
