/// The loss-based bound on the sending rate (draft-ietf-rmcat-gcc-02 §6): with more than 10%
/// of packets lost the rate is cut to rate × (1 − 0.5 × loss); with less than 2% it may grow
/// by 5%; in between it holds, since a little loss is normal on many paths and not a sign of
/// congestion this flow caused. A cut goes no lower than three quarters of what the receiver
/// acknowledged getting: when a rate far above a path's capacity meets it (a subscriber whose
/// link narrows under two top layers loses 90%), repeated cuts from the rate sent would sink
/// to the minimum within two seconds, far below what the path delivers all along.
public struct LossBasedBound: Sendable {
    public struct Configuration: Sendable {
        public var highLoss = 0.10
        public var lowLoss = 0.02
        public var increaseFactor = 1.05
        /// Loss is measured over at least this many reported packets, so that one lost packet in
        /// a short feedback interval is not read as 20% loss.
        public var minimumPackets = 20
        /// Nanoseconds between two cuts: the first cut needs a round trip to show its effect.
        public var decreaseInterval: UInt64 = 300_000_000
        public var minimumBitrate = 30_000
        /// The share of the acknowledged bitrate a cut stops at.
        public var acknowledgedShare = 0.75
        public var maximumBitrate = 10_000_000

        public init() {}
    }

    public let configuration: Configuration
    /// Bits per second; starts at the maximum, so it binds only once loss has been seen.
    public private(set) var bitrate: Int
    /// The fraction lost over the last measured interval.
    public private(set) var lossFraction = 0.0

    private var lost = 0
    private var reported = 0
    private var lastDecrease: UInt64?

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        bitrate = configuration.maximumBitrate
    }

    /// Counts one feedback's packets; `estimate` is the rate currently in use, where a cut
    /// starts from when the bound is above it; `acknowledged` the bitrate the receiver got.
    @discardableResult
    public mutating func update(
        lost newlyLost: Int, reported newlyReported: Int, estimate: Int, acknowledged: Int? = nil, at now: UInt64
    ) -> Int {
        lost += newlyLost
        reported += newlyReported
        guard reported >= configuration.minimumPackets else { return bitrate }
        lossFraction = Double(lost) / Double(reported)
        lost = 0
        reported = 0
        if lossFraction > configuration.highLoss {
            if let lastDecrease, now - lastDecrease < configuration.decreaseInterval { return bitrate }
            let from = min(bitrate, estimate)
            let floor = min(from, Int(configuration.acknowledgedShare * Double(acknowledged ?? 0)))
            bitrate = clamp(max(Int(Double(from) * (1 - 0.5 * lossFraction)), floor))
            lastDecrease = now
        } else if lossFraction < configuration.lowLoss {
            bitrate = clamp(Int(Double(bitrate) * configuration.increaseFactor))
        }
        return bitrate
    }

    /// A probe measured that the path carries `measured` bits per second: unless loss is high,
    /// the bound is lifted to it. Between 2% and 10% loss the bound only holds, so without this
    /// a cut from a brief congestion episode would last as long as a path's steady random loss.
    public mutating func probeSucceeded(measured: Int) {
        guard lossFraction <= configuration.highLoss, measured > bitrate else { return }
        bitrate = clamp(measured)
    }

    /// Counts the lost and reported packets in one feedback's results.
    @discardableResult
    public mutating func update(_ results: [PacketResult], estimate: Int, acknowledged: Int? = nil, at now: UInt64) -> Int {
        var lostCount = 0
        for result in results where result.arrivalTime == nil { lostCount += 1 }
        return update(lost: lostCount, reported: results.count, estimate: estimate, acknowledged: acknowledged, at: now)
    }

    private func clamp(_ value: Int) -> Int {
        min(max(value, configuration.minimumBitrate), configuration.maximumBitrate)
    }
}
