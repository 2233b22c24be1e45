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
    /// Nanoseconds: a sample this close to the newest one is added to it, so a rate counted
    /// per packet at thousands a second keeps a few hundred samples, not thousands.
    public let resolution: Int64

    /// The samples before the newest, oldest first.
    private var samples = RingBuffer<Sample>()
    /// The newest sample, kept out of the ring: a rate counted per packet adds to it thousands
    /// of times a second, and a stored field costs less to update than a ring's slot.
    private var newest: Sample?
    /// Bytes of every sample, the newest included.
    private var bytes = 0
    private var firstTime: Int64?

    public init(window: Int64 = 500_000_000, minimumSpan: Int64 = 50_000_000, resolution: Int64 = 0) {
        self.window = window
        self.minimumSpan = minimumSpan
        self.resolution = resolution
    }

    /// Adds `size` bytes at `time`; samples should come in time order (an earlier one counts as
    /// arriving at the newest time).
    public mutating func add(size: Int, at time: Int64) {
        bytes += size
        if var current = newest, time < current.time + max(resolution, 1) {
            current.size += size
            newest = current
            return
        }
        if let current = newest { samples.append(current) }
        newest = Sample(time: time, size: size)
        if firstTime == nil { firstTime = time }
        while let oldest = samples.first, oldest.time <= time - window {
            bytes -= oldest.size
            samples.popFirst()
        }
    }

    var sampleCount: Int { samples.count + (newest == nil ? 0 : 1) }

    /// Bits per second over the window up to the newest sample; nil until there is enough to
    /// measure.
    public var bitrate: Int? {
        guard let newest, let firstTime else { return nil }
        let oldest = samples.first ?? newest
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
        guard let firstTime, let newest, time > newest.time, time - firstTime >= window
        else { return bitrate }
        var recent = newest.time > time - window ? newest.size : 0
        for index in 0..<samples.count where samples[index].time > time - window {
            recent += samples[index].size
        }
        return Int(Int64(recent) * 8 * 1_000_000_000 / window)
    }

    public mutating func reset() {
        samples.removeAll()
        newest = nil
        bytes = 0
        firstTime = nil
    }
}
