/// Receive-side bandwidth estimation, for a sender that reads REMB rather than transport-wide
/// feedback (draft-alvestrand-rmcat-remb-03): the delay-based detector and rate control of
/// draft-ietf-rmcat-gcc-02 §5, fed with each packet's abs-send-time and arrival time, and the
/// incoming rate in place of an acknowledged one; bounded by the loss the receiver counts
/// (§6), since a sender that reads REMB may have no loss-based control of its own, and a full
/// drop-tail queue shows loss but no more delay growth.
///
/// Sans-IO: the owner reports every packet that arrives with abs-send-time, and at
/// `nextReport` calls `pollReport`, which gives the rate to send in a REMB; it reports the loss
/// it counts in its receiver reports with `lossReported`.
public struct ReceiveSideEstimator: Sendable {
    public struct Configuration: Sendable {
        /// Bits per second the estimate stays within.
        public var minimumBitrate = 30_000
        public var maximumBitrate = 1_000_000_000
        /// Nanoseconds of arrivals measured before the first estimate, which starts from the rate
        /// the sender already sends rather than from a guess that would pull it down.
        public var initializationTime: UInt64 = 2_000_000_000
        /// A REMB goes at least this often (nanoseconds) while packets arrive.
        public var reportInterval: UInt64 = 1_000_000_000
        /// A decrease of at least this fraction since the last REMB is reported without waiting
        /// for the interval, but no sooner than `minimumReportSpacing` after it.
        public var reportedDecrease = 0.03
        public var minimumReportSpacing: UInt64 = 200_000_000
        /// The rate control takes the detector's state at least this often, and at once when the
        /// detector sees overuse.
        public var updateInterval: UInt64 = 100_000_000

        public init() {}
    }

    public let configuration: Configuration
    /// Bits per second; nil until `initializationTime` of arrivals was measured.
    public private(set) var estimate: Int?

    private var sendTimes = AbsoluteSendTimeUnwrapper()
    private var trendline = TrendlineEstimator()
    private var aimd: AimdRateControl
    private var lossBound: LossBasedBound
    /// What arrives, on the receiver's clock, over the last second.
    private var incoming = RateWindow(window: 1_000_000_000, minimumSpan: 100_000_000)
    private var firstArrival: UInt64?
    private var lastUpdate: UInt64 = 0
    private var lastReport: (time: UInt64, bitrate: Int)?
    private var lastArrival: UInt64 = 0

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        var aimdConfiguration = AimdRateControl.Configuration()
        aimdConfiguration.minimumBitrate = configuration.minimumBitrate
        aimdConfiguration.maximumBitrate = configuration.maximumBitrate
        aimdConfiguration.initialBitrate = configuration.minimumBitrate
        aimd = AimdRateControl(configuration: aimdConfiguration)
        var lossConfiguration = LossBasedBound.Configuration()
        lossConfiguration.minimumBitrate = configuration.minimumBitrate
        lossConfiguration.maximumBitrate = configuration.maximumBitrate
        lossBound = LossBasedBound(configuration: lossConfiguration)
    }

    /// The delay-based detector's current conclusion.
    public var delayState: DelayState { trendline.state }
    /// The fraction lost over the last reported interval.
    public var lossFraction: Double { lossBound.lossFraction }
    /// Bits per second arriving, nil until measured.
    public var incomingBitrate: Int? { incoming.bitrate }

    /// One packet arrived: its abs-send-time (24 bits), its size in bytes, and when it arrived
    /// (monotonic nanoseconds).
    public mutating func packetArrived(absSendTime: UInt32, size: Int, at arrival: UInt64) {
        let sendTime = sendTimes.unwrap(absSendTime)
        let arrival = max(arrival, lastArrival)
        lastArrival = arrival
        if firstArrival == nil { firstArrival = arrival }
        incoming.add(size: size, at: Int64(arrival))
        trendline.add(sendTime: sendTime, arrivalTime: Int64(arrival))

        guard estimate != nil else {
            if let first = firstArrival, arrival - first >= configuration.initializationTime, let rate = incoming.bitrate {
                aimd.setBitrate(rate, at: arrival)
                estimate = bounded(aimd.bitrate)
                lastUpdate = arrival
            }
            return
        }
        guard trendline.state == .overusing || arrival - lastUpdate >= configuration.updateInterval else { return }
        lastUpdate = arrival
        estimate = bounded(aimd.update(trendline.state, acknowledgedBitrate: incoming.bitrate, at: arrival))
    }

    /// Packets of the publisher's streams expected and lost over one receiver-report interval.
    /// High loss cuts the bound from the rate that arrives, low loss lets it grow (§6).
    public mutating func lossReported(lost: Int, expected: Int, at now: UInt64) {
        guard let current = estimate else { return }
        lossBound.update(lost: lost, reported: expected, estimate: incoming.bitrate ?? current, at: now)
        estimate = bounded(aimd.bitrate)
    }

    private func bounded(_ delayBased: Int) -> Int {
        min(max(min(delayBased, lossBound.bitrate), configuration.minimumBitrate), configuration.maximumBitrate)
    }

    /// When the next REMB is due; nil before the first estimate.
    public var nextReport: UInt64? {
        guard let estimate else { return nil }
        guard let lastReport else { return lastUpdate }
        if Double(estimate) <= Double(lastReport.bitrate) * (1 - configuration.reportedDecrease) {
            return lastReport.time + configuration.minimumReportSpacing
        }
        return lastReport.time + configuration.reportInterval
    }

    /// The rate to report in a REMB now, or nil when none is due.
    public mutating func pollReport(at now: UInt64) -> Int? {
        guard let due = nextReport, due <= now, let estimate else { return nil }
        lastReport = (now, estimate)
        return estimate
    }
}
