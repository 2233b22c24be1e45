/// The delay-based overuse detector (draft-ietf-rmcat-gcc-02 §5): packets are grouped into
/// bursts, the change in one-way delay between consecutive groups is accumulated and smoothed,
/// and the slope of a least-squares line through the last groups' smoothed delay says whether
/// the bottleneck queue is growing. The slope is compared against an adaptive threshold
/// (§5.4), which follows the slope slowly when above it and quickly when below, so competing
/// loss-based flows do not starve this one.
public struct TrendlineEstimator: Sendable {
    public struct Configuration: Sendable {
        /// Packets sent within this many nanoseconds of a group's first form one group (§5.2):
        /// the pacer releases a frame's packets together, and their spacing is not a signal.
        public var burstInterval: UInt64 = 5_000_000
        /// Groups in the regression window.
        public var windowSize = 20
        /// Weight of the previous smoothed delay (exponential smoothing).
        public var smoothing = 0.9
        /// Scales the slope before comparing it with the threshold.
        public var gain = 4.0
        /// Milliseconds, the threshold's start and bounds (§5.4: 12.5 ms, 6 ms to 600 ms).
        public var initialThreshold = 12.5
        public var thresholdRange: ClosedRange<Double> = 6...600
        /// How fast the threshold follows the trend when the trend is below and above it (§5.4).
        public var thresholdDecreaseGain = 0.039
        public var thresholdIncreaseGain = 0.0087
        /// Milliseconds the trend must stay above the threshold before it counts as overuse
        /// (§5.4: overuse must be sustained, not one outlier).
        public var overuseTime = 10.0

        public init() {}
    }

    struct Group: Sendable {
        var firstSendTime: UInt64
        var lastSendTime: UInt64
        var firstArrivalTime: Int64
        var lastArrivalTime: Int64
    }

    struct Sample: Sendable {
        /// Milliseconds since the first group's arrival.
        var arrival: Double
        var smoothedDelay: Double
    }

    public let configuration: Configuration
    public private(set) var state = DelayState.normal
    /// Milliseconds; the adaptive threshold γ.
    public private(set) var threshold: Double
    /// The scaled slope last compared with the threshold.
    public private(set) var modifiedTrend = 0.0

    private var current: Group?
    private var previous: Group?
    private var firstArrival: Int64?
    private var accumulatedDelay = 0.0
    private var smoothedDelay = 0.0
    private var samples = RingBuffer<Sample>()
    private var deltaCount = 0
    private var trend = 0.0
    private var previousTrend = 0.0
    private var timeOverusing = -1.0
    private var overuseCount = 0
    private var lastThresholdUpdate: Double?

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        threshold = configuration.initialThreshold
    }

    /// Feeds the received packets of one feedback, in send order; lost ones are skipped.
    @discardableResult
    public mutating func update(_ results: [PacketResult]) -> DelayState {
        for result in results {
            guard let arrival = result.arrivalTime else { continue }
            add(sendTime: result.sendTime, arrivalTime: arrival)
        }
        return state
    }

    /// Feeds one received packet: nanoseconds on the sender's and the receiver's clocks.
    public mutating func add(sendTime: UInt64, arrivalTime: Int64) {
        guard var group = current else {
            current = Group(
                firstSendTime: sendTime, lastSendTime: sendTime, firstArrivalTime: arrivalTime,
                lastArrivalTime: arrivalTime)
            return
        }
        // A packet sent before the current group began arrived out of order: it says nothing
        // about the trend any more.
        guard sendTime >= group.firstSendTime else { return }
        if belongsTo(group, sendTime: sendTime, arrivalTime: arrivalTime) {
            group.lastSendTime = max(group.lastSendTime, sendTime)
            group.lastArrivalTime = max(group.lastArrivalTime, arrivalTime)
            current = group
            return
        }
        if let previous {
            compare(previous, group)
        }
        previous = group
        current = Group(
            firstSendTime: sendTime, lastSendTime: sendTime, firstArrivalTime: arrivalTime,
            lastArrivalTime: arrivalTime)
    }

    /// Same burst when sent within the burst interval of the group's first packet, or when it
    /// arrived right behind the group having waited less than the group did: a queue that
    /// released packets back to back (§5.2).
    private func belongsTo(_ group: Group, sendTime: UInt64, arrivalTime: Int64) -> Bool {
        if sendTime - group.firstSendTime <= configuration.burstInterval { return true }
        let arrivalDelta = arrivalTime - group.lastArrivalTime
        let sendDelta = Int64(bitPattern: sendTime &- group.lastSendTime)
        return arrivalDelta >= 0 && arrivalDelta < Int64(configuration.burstInterval)
            && arrivalDelta - sendDelta < 0
    }

    /// The inter-group delay variation d(i) = (t(i) − t(i−1)) − (T(i) − T(i−1)) (§5.3).
    private mutating func compare(_ earlier: Group, _ later: Group) {
        let arrivalDelta = later.lastArrivalTime - earlier.lastArrivalTime
        // Arrivals out of order: the receiver's clock or the path reordered; skip the pair.
        guard arrivalDelta >= 0 else { return }
        let sendDelta = Double(Int64(bitPattern: later.lastSendTime &- earlier.lastSendTime)) / 1e6
        let variation = Double(arrivalDelta) / 1e6 - sendDelta
        let origin = firstArrival ?? earlier.lastArrivalTime
        firstArrival = origin
        let arrival = Double(later.lastArrivalTime - origin) / 1e6
        updateTrend(variation: variation, sendDelta: sendDelta, arrival: arrival)
    }

    private mutating func updateTrend(variation: Double, sendDelta: Double, arrival: Double) {
        deltaCount += 1
        accumulatedDelay += variation
        smoothedDelay = configuration.smoothing * smoothedDelay + (1 - configuration.smoothing) * accumulatedDelay
        samples.append(Sample(arrival: arrival, smoothedDelay: smoothedDelay))
        if samples.count > configuration.windowSize { samples.popFirst() }
        if samples.count == configuration.windowSize, let slope = slope() {
            trend = slope
        }
        detect(sendDelta: sendDelta, now: arrival)
    }

    /// The least-squares slope of smoothed delay over arrival time; nil when every sample
    /// arrived at the same instant.
    private func slope() -> Double? {
        var meanX = 0.0
        var meanY = 0.0
        for index in 0..<samples.count {
            meanX += samples[index].arrival
            meanY += samples[index].smoothedDelay
        }
        meanX /= Double(samples.count)
        meanY /= Double(samples.count)
        var numerator = 0.0
        var denominator = 0.0
        for index in 0..<samples.count {
            let dx = samples[index].arrival - meanX
            numerator += dx * (samples[index].smoothedDelay - meanY)
            denominator += dx * dx
        }
        return denominator > 0 ? numerator / denominator : nil
    }

    /// §5.4: overuse when the scaled trend stays above γ for a while and is still rising;
    /// underuse as soon as it is below −γ.
    private mutating func detect(sendDelta: Double, now: Double) {
        guard deltaCount >= 2 else { return }
        modifiedTrend = Double(min(deltaCount, 60)) * trend * configuration.gain
        if modifiedTrend > threshold {
            timeOverusing = timeOverusing < 0 ? sendDelta / 2 : timeOverusing + sendDelta
            overuseCount += 1
            if timeOverusing > configuration.overuseTime, overuseCount > 1, trend >= previousTrend {
                timeOverusing = 0
                overuseCount = 0
                state = .overusing
            }
        } else if modifiedTrend < -threshold {
            timeOverusing = -1
            overuseCount = 0
            state = .underusing
        } else {
            timeOverusing = -1
            overuseCount = 0
            state = .normal
        }
        previousTrend = trend
        adaptThreshold(now: now)
    }

    /// γ(i) = γ(i−1) + Δt · k · (|m(i)| − γ(i−1)) (§5.4), skipping spikes far above γ so that a
    /// single burst does not raise it.
    private mutating func adaptThreshold(now: Double) {
        defer { lastThresholdUpdate = now }
        let magnitude = abs(modifiedTrend)
        guard let last = lastThresholdUpdate, magnitude <= threshold + 15 else { return }
        let gain = magnitude < threshold ? configuration.thresholdDecreaseGain : configuration.thresholdIncreaseGain
        let elapsed = min(now - last, 100)
        threshold += gain * (magnitude - threshold) * elapsed
        threshold = min(max(threshold, configuration.thresholdRange.lowerBound), configuration.thresholdRange.upperBound)
    }
}
