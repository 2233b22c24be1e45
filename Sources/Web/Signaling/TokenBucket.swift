/// A token bucket (a rate with a burst) over a caller-supplied monotonic clock, so a client that
/// floods the signaling socket is throttled while one that sends a burst now and then is not.
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

    /// Takes one token at monotonic time `now` (nanoseconds); false when the bucket is empty.
    public mutating func take(at now: UInt64) -> Bool {
        if let lastRefill, now > lastRefill {
            tokens = min(capacity, tokens + Double(now - lastRefill) / 1_000_000_000 * refillPerSecond)
        }
        lastRefill = max(lastRefill ?? now, now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
