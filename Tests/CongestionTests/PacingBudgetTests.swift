import Testing
@testable import Congestion

@Suite struct PacingBudgetTests {
    @Test func packetsAreSpacedAtTheRate() {
        // 1 Mbit/s: a 1,250-byte packet every 10 ms.
        var budget = PacingBudget(rate: 1_000_000, burstInterval: 0)
        var now: UInt64 = 1_000_000_000
        var times: [UInt64] = []
        for _ in 0..<5 {
            if !budget.canSend(at: now) { now = budget.nextSendTime }
            #expect(budget.canSend(at: now))
            times.append(now)
            budget.spend(1_250, at: now)
        }
        #expect(zip(times, times.dropFirst()).map { $1 - $0 } == [10_000_000, 10_000_000, 10_000_000, 10_000_000])
    }

    @Test func idleTimeSavesUpOneBurstIntervalAtMost() {
        var budget = PacingBudget(rate: 1_000_000, burstInterval: 20_000_000)
        budget.spend(0, at: 0)
        // A second idle saves 20 ms at 1 Mbit/s, 2,500 bytes: two packets go at once, the
        // third waits.
        let now: UInt64 = 1_000_000_000
        var sent = 0
        while budget.canSend(at: now), sent < 10 {
            budget.spend(1_250, at: now)
            sent += 1
        }
        #expect(sent == 3, "2,500 bytes of credit: the third packet overdraws it")
        #expect(budget.nextSendTime == now + 10_000_000)
    }

    @Test func aNewRateAppliesToTheDebtLeft() {
        var budget = PacingBudget(rate: 1_000_000, burstInterval: 0)
        budget.spend(10_000, at: 0)
        #expect(budget.nextSendTime == 80_000_000)
        budget.setRate(2_000_000, at: 40_000_000)
        // Half the debt is paid at 1 Mbit/s; the other 5,000 bytes take 20 ms at 2 Mbit/s.
        #expect(budget.nextSendTime == 60_000_000)
        #expect(!budget.canSend(at: 59_000_000))
        #expect(budget.canSend(at: 60_000_000))
    }
}
