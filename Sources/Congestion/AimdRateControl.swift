/// The delay-based rate (draft-ietf-rmcat-gcc-02 §5.5): additive increase, multiplicative
/// decrease, driven by the overuse detector's signal through the state machine of §5.5
/// (hold, increase, decrease).
///
/// Far from the last congestion point the rate grows by about 8% a second; near it, by about
/// one packet per response time, so the link is approached carefully where it last broke. On
/// overuse the rate drops to 0.85 × the acknowledged throughput, which is what the path
/// carried. The rate is kept within 1.5 × that throughput (plus a margin) so an
/// application-limited sender does not grow an estimate it never tested.
public struct AimdRateControl: Sendable {
    public enum Mode: Sendable, Equatable {
        case hold, increase, decrease
    }

    public struct Configuration: Sendable {
        public var initialBitrate = 300_000
        public var minimumBitrate = 30_000
        public var maximumBitrate = 10_000_000
        /// The multiplicative decrease factor β (§5.5: 0.85).
        public var decreaseFactor = 0.85
        /// The multiplicative increase per second far from the last congestion point (§5.5: 8%).
        public var increasePerSecond = 0.08
        /// The rate stays below this multiple of the acknowledged throughput plus the margin.
        public var throughputFactor = 1.5
        public var throughputMargin = 10_000

        public init() {}
    }

    public let configuration: Configuration
    public private(set) var bitrate: Int
    public private(set) var mode = Mode.hold
    /// Nanoseconds; sets the response time (RTT + 100 ms, §5.5) and how often the rate may drop.
    public var roundTripTime: UInt64 = 100_000_000

    private var lastChange: UInt64?
    private var lastDecrease: UInt64?
    /// The throughput at recent decreases, bits/s: where the link last broke, and how far it
    /// wanders. Nil when unknown or when the throughput left it behind.
    private var linkCapacity: (mean: Double, deviation: Double)?

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        bitrate = min(max(configuration.initialBitrate, configuration.minimumBitrate), configuration.maximumBitrate)
    }

    /// Whether the rate is near the last congestion point, and so grows additively.
    public var isNearCapacity: Bool { linkCapacity != nil }

    /// Applies one detector signal; returns the new rate in bits/s.
    @discardableResult
    public mutating func update(_ state: DelayState, acknowledgedBitrate: Int?, at now: UInt64) -> Int {
        // §5.5's state table: overuse always decreases; underuse holds (the queue is draining,
        // let it); normal resumes increasing, through one hold after a decrease.
        switch state {
        case .overusing: mode = .decrease
        case .underusing: mode = .hold
        case .normal: mode = mode == .decrease ? .hold : .increase
        }
        if let acknowledgedBitrate, let capacity = linkCapacity,
            Double(acknowledgedBitrate) > capacity.mean + 3 * capacity.deviation
        {
            // The path now carries clearly more than where it last broke: that point is stale.
            linkCapacity = nil
        }
        switch mode {
        case .hold: break
        case .increase: increase(acknowledgedBitrate: acknowledgedBitrate, at: now)
        case .decrease: decrease(acknowledgedBitrate: acknowledgedBitrate, at: now)
        }
        if lastChange == nil || mode != .increase { lastChange = now }
        return bitrate
    }

    /// Sets the rate from outside, e.g. from a probe result.
    public mutating func setBitrate(_ newBitrate: Int, at now: UInt64) {
        bitrate = clamp(newBitrate)
        lastChange = now
    }

    private mutating func increase(acknowledgedBitrate: Int?, at now: UInt64) {
        let elapsed = Double(min(now - (lastChange ?? now), 1_000_000_000)) / 1e9
        lastChange = now
        let step: Double
        if linkCapacity != nil {
            // About one packet per response time: a frame at 30 fps split into ≤ 1200-byte packets.
            let frameBits = Double(bitrate) / 30
            let packets = (frameBits / 9_600).rounded(.up)
            let responseTime = Double(roundTripTime) / 1e9 + 0.1
            step = max(1_000 * elapsed, frameBits / max(packets, 1) * elapsed / responseTime)
        } else {
            // Compounded by successive updates, this is ~8% a second.
            step = max(1_000 * elapsed, Double(bitrate) * configuration.increasePerSecond * elapsed)
        }
        var increased = bitrate + Int(step)
        if let acknowledgedBitrate {
            let ceiling = Int(configuration.throughputFactor * Double(acknowledgedBitrate)) + configuration.throughputMargin
            increased = max(bitrate, min(increased, ceiling))
        }
        bitrate = clamp(increased)
    }

    private mutating func decrease(acknowledgedBitrate: Int?, at now: UInt64) {
        // One drop per reduction interval (the RTT, within 10...200 ms): the detector keeps
        // signalling overuse until the queue it saw drains, and that is not new congestion.
        let interval = min(max(roundTripTime, 10_000_000), 200_000_000)
        if let lastDecrease, now - lastDecrease < interval { return }
        let decreased = Int(configuration.decreaseFactor * Double(acknowledgedBitrate ?? bitrate))
        // Already below what the path carried: the overuse still seen is the queue built
        // before the last decrease, draining. Cutting again would stack decreases.
        guard decreased < bitrate else {
            mode = .hold
            return
        }
        bitrate = clamp(decreased)
        lastDecrease = now
        if let acknowledgedBitrate { recordCapacity(Double(acknowledgedBitrate)) }
        mode = .hold
    }

    /// Running mean and mean deviation of the throughput at decreases; a sample far below
    /// starts over, since the link has changed.
    private mutating func recordCapacity(_ sample: Double) {
        guard var capacity = linkCapacity, sample >= capacity.mean - 3 * capacity.deviation else {
            linkCapacity = (sample, 0.05 * sample)
            return
        }
        capacity.mean = 0.95 * capacity.mean + 0.05 * sample
        capacity.deviation = 0.95 * capacity.deviation + 0.05 * abs(sample - capacity.mean)
        capacity.deviation = min(max(capacity.deviation, 0.02 * capacity.mean), 0.1 * capacity.mean)
        linkCapacity = capacity
    }

    private func clamp(_ value: Int) -> Int {
        min(max(value, configuration.minimumBitrate), configuration.maximumBitrate)
    }
}
