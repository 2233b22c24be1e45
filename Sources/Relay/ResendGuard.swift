/// When each of a subscription's recent packets was last resent, so that a packet goes again
/// at most once per round trip however often the subscriber asks: a browser asks again for a
/// packet whose repair has not arrived after its own round-trip estimate, and on a path whose
/// queue holds the first repair, a second one only adds to the queue (libwebrtc's sender keeps
/// the same rule). Fixed slots by sequence number: no allocation after creation, and a packet
/// whose slot was taken by a later one counts as never resent.
struct ResendGuard {
    static let slots = 256
    private var sequenceNumbers = [UInt16](repeating: 0, count: slots)
    private var times = [UInt64](repeating: 0, count: slots)

    /// Whether outgoing packet `sequenceNumber` may be resent at `now`: never resent, or
    /// `interval` nanoseconds ago at least.
    func mayResend(_ sequenceNumber: UInt16, now: UInt64, interval: UInt64) -> Bool {
        let slot = Int(sequenceNumber) % Self.slots
        return times[slot] == 0 || sequenceNumbers[slot] != sequenceNumber || now >= times[slot] + interval
    }

    /// Outgoing packet `sequenceNumber` was resent at `now`.
    mutating func resent(_ sequenceNumber: UInt16, at now: UInt64) {
        let slot = Int(sequenceNumber) % Self.slots
        sequenceNumbers[slot] = sequenceNumber
        times[slot] = max(now, 1)
    }
}
