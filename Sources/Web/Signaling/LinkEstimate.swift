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

    public init(estimate: Int, received: Int?, loss: Double) {
        self.estimate = estimate
        self.received = received
        self.loss = loss
    }

    init(_ estimate: SubscriberEstimate) {
        self.init(
            estimate: estimate.bitrate, received: estimate.acknowledgedBitrate,
            loss: (estimate.lossFraction * 1000).rounded() / 1000)
    }
}
