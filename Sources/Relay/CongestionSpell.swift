/// How long a subscriber's path has been congested without a break, as the layer checks see
/// it. Frame rate is cut only for congestion that lasts: a machine that stalls for a moment
/// delays a burst of packets, which reads as a queue building up for a check or two.
struct CongestionSpell {
    /// Congested at every check for this long (three checks in a row) is congestion that lasts.
    static let lastingAfter: UInt64 = 500_000_000

    private var since: UInt64?

    /// Whether the path is congested at the check at `now`; returns whether it has been at
    /// every check for `lastingAfter`.
    mutating func update(congested: Bool, now: UInt64) -> Bool {
        guard congested else {
            since = nil
            return false
        }
        let start = since ?? now
        since = start
        return now - start >= Self.lastingAfter
    }
}
