/// A leaky bucket that spaces packets out at a rate: a packet may go while the credit is not
/// negative, and may overdraw it; the debt is paid off at the rate before the next goes. Idle
/// time saves up credit for at most `burstInterval` of sending, so a short burst after a quiet
/// spell still goes at once.
public struct PacingBudget: Sendable {
    /// Bits per second.
    public private(set) var rate: Int
    /// Nanoseconds of sending at `rate` that idle time may save up.
    public let burstInterval: UInt64
    /// Bytes that may go, as of `updated`; negative while an overdraft is paid off.
    private var credit: Double = 0
    private var updated: UInt64 = 0

    public init(rate: Int, burstInterval: UInt64 = 10_000_000) {
        self.rate = max(1, rate)
        self.burstInterval = burstInterval
    }

    /// From `now` on, pays off and saves up at `bitsPerSecond`.
    public mutating func setRate(_ bitsPerSecond: Int, at now: UInt64) {
        refill(at: now)
        rate = max(1, bitsPerSecond)
        credit = min(credit, maximumCredit)
    }

    /// Whether a packet may go at `now`.
    public func canSend(at now: UInt64) -> Bool {
        credit(at: now) >= 0
    }

    /// `bytes` went at `now`, whether or not the budget allowed them (audio and repairs go at
    /// once, and what they cost delays the rest).
    public mutating func spend(_ bytes: Int, at now: UInt64) {
        refill(at: now)
        credit -= Double(bytes)
    }

    /// When the next packet may go: the time of the last update while the credit is not
    /// negative, else when the debt is paid off.
    public var nextSendTime: UInt64 {
        guard credit < 0 else { return updated }
        return updated + UInt64((-credit * 8_000_000_000 / Double(rate)).rounded(.up))
    }

    private var maximumCredit: Double { Double(rate) * Double(burstInterval) / 8_000_000_000 }

    private func credit(at now: UInt64) -> Double {
        guard now > updated else { return credit }
        return min(credit + Double(now - updated) * Double(rate) / 8_000_000_000, maximumCredit)
    }

    private mutating func refill(at now: UInt64) {
        credit = credit(at: now)
        updated = max(updated, now)
    }
}
