import Testing
@testable import Relay

@Suite struct TokenBucketTests {
    @Test func aBurstPassesThenTheRateHolds() {
        var bucket = TokenBucket(refillPerSecond: 20, capacity: 40)
        let start: UInt64 = 5_000_000_000
        let burst = (0..<100).filter { _ in bucket.take(at: start) }.count
        #expect(burst == 40, "the burst, no more")
        let afterTenMilliseconds = bucket.take(at: start + 10_000_000)
        #expect(!afterTenMilliseconds, "10 ms refill a fifth of a token")
        let afterFiftyMilliseconds = bucket.take(at: start + 50_000_000)
        #expect(afterFiftyMilliseconds, "50 ms refill one")
        let oneSecondLater = (0..<100).filter { _ in bucket.take(at: start + 1_050_000_000) }.count
        #expect(oneSecondLater == 20)
    }

    @Test func idleTimeFillsNoMoreThanTheCapacity() {
        var bucket = TokenBucket(refillPerSecond: 20, capacity: 40)
        let first = bucket.take(at: 0)
        #expect(first)
        let later = (0..<100).filter { _ in bucket.take(at: 3600_000_000_000) }.count
        #expect(later == 40)
    }

    @Test func aClockThatStepsBackRefillsNothing() {
        var bucket = TokenBucket(refillPerSecond: 1, capacity: 1)
        let taken = [10_000_000_000, 1_000_000_000, 10_500_000_000, 11_000_000_000].map { bucket.take(at: $0) }
        #expect(taken == [true, false, false, true])
    }
}
