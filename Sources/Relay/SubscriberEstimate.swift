/// What the relay estimates of the path toward one subscriber, for metrics and the call page.
public struct SubscriberEstimate: Sendable, Equatable {
    public var transport: TransportID
    /// Bits per second the relay estimates it can send the subscriber.
    public var bitrate: Int
    /// Bits per second the subscriber reported receiving, once measured.
    public var acknowledgedBitrate: Int?
    /// The fraction of packets lost over the last measured interval.
    public var lossFraction: Double
    /// Whether the subscriber's video is held back because the path cannot carry it.
    public var videoPaused: Bool
    /// Nanoseconds, from the subscriber's receiver reports; nil until measured.
    public var roundTripTime: UInt64?

    public init(
        transport: TransportID, bitrate: Int, acknowledgedBitrate: Int?, lossFraction: Double, videoPaused: Bool = false,
        roundTripTime: UInt64? = nil
    ) {
        self.transport = transport
        self.bitrate = bitrate
        self.acknowledgedBitrate = acknowledgedBitrate
        self.lossFraction = lossFraction
        self.videoPaused = videoPaused
        self.roundTripTime = roundTripTime
    }
}

extension RoutedTransport {
    /// The estimate toward this transport, when it receives and sends feedback.
    var subscriberEstimate: SubscriberEstimate? {
        let leg = subscribing
        guard leg.hasFeedback else { return nil }
        return SubscriberEstimate(
            transport: id, bitrate: leg.estimator.estimate, acknowledgedBitrate: leg.estimator.acknowledgedBitrate,
            lossFraction: leg.estimator.lossFraction, videoPaused: leg.subscriptions.contains { $0.isPausedForBandwidth },
            roundTripTime: leg.roundTripTime)
    }
}
