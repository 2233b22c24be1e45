import Metrics

/// A swift-metrics counter fed from a running total kept elsewhere (a media worker's count,
/// read without a lock per packet): each reading adds what the total grew by since the last.
struct CumulativeCounter {
    let counter: Counter
    private var last: Int64 = 0

    init(_ counter: Counter) {
        self.counter = counter
    }

    mutating func update(total: Int64) {
        if total > last { counter.increment(by: total - last) }
        last = max(last, total)
    }
}
