import Relay

/// What a flood did and how the relay counted it: the `flood` object of a load result.
struct FloodResult: Codable {
    /// The drop reasons a datagram from an address with no transport can end in: every flood
    /// datagram must be counted under one of them, and the call itself causes none.
    static let floodReasons: [DropReason] = [
        .truncatedDatagram, .oversizedDatagram, .unknownKind, .unknownSource, .unauthenticatedStun, .malformedStun,
        .stunBadCredentials, .stunRefused, .dtlsBeforeIce,
    ]

    var requestedRate: Int
    var sockets: Int
    var seconds: Double
    var achievedRate: Double
    /// Datagrams sent, by `FloodKind`.
    var sent: [String: UInt64]
    var sentTotal: UInt64
    /// Datagrams the flooder's own kernel refused (not sent, not in `sent`).
    var refusedBySender: UInt64
    /// Drops the relay should have counted, by reason, from what was sent.
    var expectedDrops: [String: UInt64]
    /// `relay_dropped_datagrams_total` by reason just before the flood and once its counters
    /// settled after it.
    var dropsBefore: [String: UInt64]
    var dropsAfter: [String: UInt64]
    /// The increase of the flood's reasons.
    var countedDrops: [String: UInt64]
    var countedTotal: UInt64
    /// Sent but counted under none of the flood's reasons.
    var uncounted: Int64
    /// Reasons whose increase differs from what was expected of them.
    var mismatchedReasons: [String]
    /// Datagrams the kernel dropped on the relay's media socket in the same time (full buffer).
    var relayKernelDrops: UInt64?
    /// Datagrams the relay sent back to the flooder (error responses to STUN).
    var relayResponses: UInt64
    /// Every datagram sent was counted by the relay, each under the reason expected of it.
    var allCounted: Bool

    init(counts: Flooder.Counts, rate: Int, sockets: Int, before: [String: Double]?, after: [String: Double]?, kernelDrops: UInt64?) {
        requestedRate = rate
        self.sockets = sockets
        seconds = counts.seconds
        achievedRate = counts.seconds > 0 ? Double(counts.total) / counts.seconds : 0
        sent = Dictionary(uniqueKeysWithValues: counts.sentByKind.map { ($0.key.rawValue, $0.value) })
        sentTotal = counts.total
        refusedBySender = counts.refused
        let expected = Dictionary(uniqueKeysWithValues: counts.expected.map { ($0.key.label, $0.value) })
        expectedDrops = expected
        dropsBefore = Self.drops(in: before)
        dropsAfter = Self.drops(in: after)
        var counted: [String: UInt64] = [:]
        for reason in Self.floodReasons {
            let (before, after) = (dropsBefore[reason.label] ?? 0, dropsAfter[reason.label] ?? 0)
            counted[reason.label] = after > before ? after - before : 0
        }
        countedDrops = counted
        countedTotal = counted.values.reduce(0, +)
        uncounted = Int64(sentTotal) - Int64(countedTotal)
        mismatchedReasons = Self.floodReasons.map(\.label).filter { (counted[$0] ?? 0) != (expected[$0] ?? 0) }.sorted()
        relayKernelDrops = kernelDrops
        relayResponses = counts.responses
        allCounted = after != nil && uncounted == 0 && mismatchedReasons.isEmpty
    }

    /// `relay_dropped_datagrams_total` by reason label.
    static func drops(in metrics: [String: Double]?) -> [String: UInt64] {
        var drops: [String: UInt64] = [:]
        for reason in DropReason.allCases {
            if let value = metrics?[#"relay_dropped_datagrams_total{reason=""# + reason.label + #""}"#] {
                drops[reason.label] = UInt64(max(value, 0))
            }
        }
        return drops
    }
}
