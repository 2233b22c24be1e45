/// The values of an increasing numbering (sequence numbers or picture IDs, extended past their
/// wrap-around) that a forwarder left out, kept as runs so the values it does forward can be
/// closed up: each maps to itself less the number of values skipped before it, and the
/// receiver sees no gap. Only the newest `capacity` runs are kept; a value older than they
/// reach cannot be mapped (a retransmission that late is of no use anyway).
public struct SkippedRuns: Sendable, Equatable {
    struct Run: Sendable, Equatable {
        var start: Int64
        /// One past the last value skipped.
        var end: Int64
        /// Values skipped before `start`.
        var skippedBefore: Int64
    }

    public static let capacity = 64

    /// A ring of runs, oldest at `head`; storage is made at the first skip.
    private var runs: [Run] = []
    private var head = 0
    private var count = 0
    /// Values skipped so far.
    public private(set) var total: Int64 = 0
    /// Values below this were in runs no longer kept.
    private var floor = Int64.min

    public init() {}

    /// `value`, newer than every value skipped or mapped so far, is left out.
    public mutating func skip(_ value: Int64) {
        if count > 0 {
            let newest = (head + count - 1) % Self.capacity
            if runs[newest].end == value {
                runs[newest].end += 1
                total += 1
                return
            }
        }
        if runs.isEmpty { runs = [Run](repeating: Run(start: 0, end: 0, skippedBefore: 0), count: Self.capacity) }
        if count == Self.capacity {
            floor = runs[head].end
            head = (head + 1) % Self.capacity
            count -= 1
        }
        runs[(head + count) % Self.capacity] = Run(start: value, end: value + 1, skippedBefore: total)
        count += 1
        total += 1
    }

    /// How many values before `value` were skipped; nil when `value` itself was, or is older
    /// than the runs kept reach.
    public func skipped(before value: Int64) -> Int64? {
        var index = count - 1
        while index >= 0 {
            let run = runs[(head + index) % Self.capacity]
            if value >= run.end { return run.skippedBefore + (run.end - run.start) }
            if value >= run.start { return nil }
            index -= 1
        }
        guard value >= floor else { return nil }
        return count > 0 ? runs[head].skippedBefore : total
    }

    /// The value that `closedUp` (a value less the values skipped before it) stands for; nil
    /// when it is older than the runs kept reach.
    public func value(closedUp: Int64) -> Int64? {
        var index = count - 1
        while index >= 0 {
            let run = runs[(head + index) % Self.capacity]
            let candidate = closedUp + run.skippedBefore + (run.end - run.start)
            if candidate >= run.end { return candidate }
            index -= 1
        }
        let candidate = closedUp + (count > 0 ? runs[head].skippedBefore : total)
        return candidate >= floor ? candidate : nil
    }
}
