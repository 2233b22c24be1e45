import Testing
@testable import RTP

@Suite struct SkippedRunsTests {
    @Test func valuesAreClosedUpOverTheRunsBeforeThem() {
        var runs = SkippedRuns()
        // 10, 11 and 20, 21, 22 left out.
        for value: Int64 in [10, 11, 20, 21, 22] { runs.skip(value) }
        #expect(runs.skipped(before: 5) == 0)
        #expect(runs.skipped(before: 10) == nil)
        #expect(runs.skipped(before: 12) == 2)
        #expect(runs.skipped(before: 21) == nil)
        #expect(runs.skipped(before: 23) == 5)
        for value: Int64 in [5, 12, 19, 23, 40] {
            let closedUp = value - (runs.skipped(before: value) ?? 0)
            #expect(runs.value(closedUp: closedUp) == value, "\(value) back from \(closedUp)")
        }
    }

    @Test func onlyTheNewestRunsAreKept() {
        var runs = SkippedRuns()
        for run in 0..<Int64(SkippedRuns.capacity + 1) { runs.skip(run * 10) }
        // The first run, at 0, is gone: nothing before its end can be mapped any more.
        #expect(runs.skipped(before: 0) == nil)
        #expect(runs.skipped(before: 5) == 1)
        #expect(runs.value(closedUp: 4) == 5)
        #expect(runs.value(closedUp: -2) == nil)
        #expect(runs.total == Int64(SkippedRuns.capacity + 1))
    }
}
