/// The relay's own counters over a window, beside what the subscribers saw: packets it queued
/// for sending and the datagrams it dropped, by reason (`relay_dropped_datagrams_total`).
struct RelayCounts: Codable {
    var forwarded: UInt64
    var dropsByReason: [String: UInt64]

    init(before: [String: Double], after: [String: Double]) {
        func delta(_ key: String) -> UInt64 { UInt64(max(0, (after[key] ?? 0) - (before[key] ?? 0))) }
        forwarded = delta("relay_forwarded_packets_total")
        dropsByReason = [:]
        let prefix = #"relay_dropped_datagrams_total{reason=""#
        for key in after.keys where key.hasPrefix(prefix) && key.hasSuffix(#""}"#) {
            let drops = delta(key)
            if drops > 0 { dropsByReason[String(key.dropFirst(prefix.count).dropLast(2))] = drops }
        }
    }
}
