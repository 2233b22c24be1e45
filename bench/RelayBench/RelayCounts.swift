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

    init(before: [String: Double], after: [String: Double]) {
        func delta(_ key: String) -> UInt64 { UInt64(max(0, (after[key] ?? 0) - (before[key] ?? 0))) }
        forwarded = delta("relay_forwarded_packets_total")
        dropsByReason = [:]
        let prefix = #"relay_dropped_datagrams_total{reason=""#
        for key in after.keys where key.hasPrefix(prefix) && key.hasSuffix(#""}"#) {
            let drops = delta(key)
            if drops > 0 { dropsByReason[String(key.dropFirst(prefix.count).dropLast(2))] = drops }
        }
        let bucket = #"relay_forwarding_delay_seconds_bucket{le=""#
        var buckets: [(bound: Double, cumulative: UInt64)] = []
        for key in after.keys where key.hasPrefix(bucket) && key.hasSuffix(#""}"#) {
            if let bound = Double(key.dropFirst(bucket.count).dropLast(2)) { buckets.append((bound, delta(key))) }
        }
        buckets.sort { $0.bound < $1.bound }
        heldTimed = delta("relay_forwarding_delay_seconds_count")
        func atMost(_ share: Double) -> Double? {
            guard heldTimed > 0 else { return nil }
            let wanted = UInt64((Double(heldTimed) * share).rounded(.up))
            // Beyond the last finite bound (more than a second): nil, with `heldTimed` above 0.
            return buckets.first { $0.cumulative >= wanted }.map { $0.bound * 1e6 }
        }
        heldP50AtMostMicroseconds = atMost(0.5)
        heldP99AtMostMicroseconds = atMost(0.99)
        heldWithinMillisecond = heldTimed == 0
            ? nil : buckets.first { $0.bound == 0.001 }.map { Double($0.cumulative) / Double(heldTimed) }
    }
}
