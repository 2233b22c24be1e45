/// Bits per second over a sliding window of (time, size) samples, on whichever clock the
/// samples come from. Used for the acknowledged throughput (receiver's clock) and for the
/// sending rate (sender's clock).
public struct RateWindow: Sendable {
    struct Sample: Sendable {
        var time: Int64
        var size: Int
    }

    /// Nanoseconds of samples kept.
    public let window: Int64
    /// Nanoseconds: before the window has filled once, a rate needs samples this far apart.
    public let minimumSpan: Int64

    private var samples = RingBuffer<Sample>()
    private var bytes = 0
    private var firstTime: Int64?

    public init(window: Int64 = 500_000_000, minimumSpan: Int64 = 50_000_000) {
        self.window = window
        self.minimumSpan = minimumSpan
    }

    /// Adds `size` bytes at `time`; samples should come in time order (an earlier one counts as
    /// arriving at the newest time).
    public mutating func add(size: Int, at time: Int64) {
        let time = max(time, samples.last?.time ?? time)
        if firstTime == nil { firstTime = time }
        samples.append(Sample(time: time, size: size))
        bytes += size
        while let oldest = samples.first, oldest.time <= time - window {
            bytes -= oldest.size
            samples.popFirst()
        }
    }

    /// Bits per second over the window up to the newest sample; nil until there is enough to
    /// measure.
    public var bitrate: Int? {
        guard let newest = samples.last, let oldest = samples.first, let firstTime else { return nil }
        if newest.time - firstTime >= window {
            return Int(Int64(bytes) * 8 * 1_000_000_000 / window)
        }
        // Not a whole window yet: the rate between the first and the newest sample, not
        // counting the first one's bytes, which were sent before the span began.
        let span = newest.time - oldest.time
        guard span >= minimumSpan else { return nil }
        return Int(Int64(bytes - oldest.size) * 8 * 1_000_000_000 / span)
    }

    /// The rate as of `time`, later than the newest sample: bytes still inside the window
    /// ending then, so a sender that stopped is seen to have stopped.
    public func bitrate(at time: Int64) -> Int? {
        guard let firstTime, let newest = samples.last, time > newest.time, time - firstTime >= window
        else { return bitrate }
        var recent = 0
        for index in 0..<samples.count where samples[index].time > time - window {
            recent += samples[index].size
        }
        return Int(Int64(recent) * 8 * 1_000_000_000 / window)
    }

    public mutating func reset() {
        samples.removeAll()
        bytes = 0
        firstTime = nil
    }
}
