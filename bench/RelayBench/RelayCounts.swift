/// The relay's own counters over a window, beside what the subscribers saw: packets it queued
/// for sending and the datagrams it dropped, by reason (`relay_dropped_datagrams_total`).
struct RelayCounts: Codable {
    var forwarded: UInt64
    var dropsByReason: [String: UInt64]
    /// The relay's own receive-to-send time over the window (`relay_forwarding_delay_seconds`):
    /// how many datagrams it timed, and the bucket bounds in microseconds that held half and
    /// 99% of them; nil where none were timed (an older relay) or beyond a second.
    var heldTimed: UInt64
    var heldP50AtMostMicroseconds: Double?
    var heldP99AtMostMicroseconds: Double?
    /// The share of them held at most a millisecond (the bucket bound 0.001 s).
    var heldWithinMillisecond: Double?
    /// Video that waited for its subscriber's pacing budget (`relay_pacing_wait_seconds`), a
    /// wait not in the held time above: how many packets, and the bucket bound holding 99% of
    /// the waits; nil from an older relay that kept the wait in the held time.
    var pacedTimed: UInt64?
    var pacingWaitP99AtMostMicroseconds: Double?

    init(before: [String: Double], after: [String: Double]) {
        func delta(_ key: String) -> UInt64 { UInt64(max(0, (after[key] ?? 0) - (before[key] ?? 0))) }
        forwarded = delta("relay_forwarded_packets_total")
        dropsByReason = [:]
        let prefix = #"relay_dropped_datagrams_total{reason=""#
        for key in after.keys where key.hasPrefix(prefix) && key.hasSuffix(#""}"#) {
            let drops = delta(key)
            if drops > 0 { dropsByReason[String(key.dropFirst(prefix.count).dropLast(2))] = drops }
        }
        let held = Self.histogram("relay_forwarding_delay_seconds", before: before, after: after)
        heldTimed = held.count
        heldP50AtMostMicroseconds = held.atMostMicroseconds(0.5)
        heldP99AtMostMicroseconds = held.atMostMicroseconds(0.99)
        heldWithinMillisecond = held.share(atMost: 0.001)
        let waits = Self.histogram("relay_pacing_wait_seconds", before: before, after: after)
        pacedTimed = after["relay_pacing_wait_seconds_count"] == nil ? nil : waits.count
        pacingWaitP99AtMostMicroseconds = waits.atMostMicroseconds(0.99)
    }

    /// A histogram's growth over the window: its cumulative buckets by bound (seconds) and count.
    struct Histogram {
        var buckets: [(bound: Double, cumulative: UInt64)]
        var count: UInt64

        /// The bound in microseconds of the first bucket holding `share` of the count; nil with
        /// none counted, or beyond the last finite bound (more than a second).
        func atMostMicroseconds(_ share: Double) -> Double? {
            guard count > 0 else { return nil }
            let wanted = UInt64((Double(count) * share).rounded(.up))
            return buckets.first { $0.cumulative >= wanted }.map { $0.bound * 1e6 }
        }

        /// The share of the count within the bucket of bound `seconds`.
        func share(atMost seconds: Double) -> Double? {
            guard count > 0 else { return nil }
            return buckets.first { $0.bound == seconds }.map { Double($0.cumulative) / Double(count) }
        }
    }

    /// Histogram `name` over the window; a count of 0 and no buckets where the relay has none.
    static func histogram(_ name: String, before: [String: Double], after: [String: Double]) -> Histogram {
        func delta(_ key: String) -> UInt64 { UInt64(max(0, (after[key] ?? 0) - (before[key] ?? 0))) }
        let bucket = name + #"_bucket{le=""#
        var buckets: [(bound: Double, cumulative: UInt64)] = []
        for key in after.keys where key.hasPrefix(bucket) && key.hasSuffix(#""}"#) {
            if let bound = Double(key.dropFirst(bucket.count).dropLast(2)) { buckets.append((bound, delta(key))) }
        }
        buckets.sort { $0.bound < $1.bound }
        return Histogram(buckets: buckets, count: delta(name + "_count"))
    }
}
