/// A token bucket (a rate with a burst) over a caller-supplied monotonic clock, so a client that
/// floods (signaling frames, NACKs) is throttled while one that bursts now and then is not.
public struct TokenBucket: Sendable {
    public let capacity: Double
    public let refillPerSecond: Double
    private var tokens: Double
    private var lastRefill: UInt64?

    public init(refillPerSecond: Double, capacity: Double) {
        self.capacity = capacity
        self.refillPerSecond = refillPerSecond
        tokens = capacity
    }

    /// Takes `count` tokens at monotonic time `now` (nanoseconds); false, taking none, when the
    /// bucket holds fewer.
    public mutating func take(_ count: Double = 1, at now: UInt64) -> Bool {
        if let lastRefill, now > lastRefill {
            tokens = min(capacity, tokens + Double(now - lastRefill) / 1_000_000_000 * refillPerSecond)
        }
        lastRefill = max(lastRefill ?? now, now)
        guard tokens >= count else { return false }
        tokens -= count
        return true
    }
}
