/// A Binding request the relay sends to an address the peer wants to move a nominated path to,
/// before any media goes there. A check that arrives from an address proves only that whoever
/// sent it knew the credentials at some point: a check captured on the way and replayed from a
/// forged source would otherwise turn the relay's media toward someone who never asked for it
/// (RFC 7675 §1). Only the peer, at that address and knowing its own password, can answer this
/// request with a signed success response.
struct PathCheck: Sendable {
    /// Sends before giving up, 200, 400, 800 and 1,600 ms apart (RFC 8489 §6.2.1
    /// backoff, from a shorter first timeout, as ICE's own checks use).
    static let attempts = 5
    static let firstRetransmission: UInt64 = 200_000_000

    let address: TransportAddress
    let transactionId: StunTransactionId
    private(set) var sent = 0
    private(set) var nextSend: UInt64

    init(address: TransportAddress, now: UInt64) {
        self.address = address
        transactionId = .random()
        nextSend = now
    }

    /// Whether no answer can come any more: every attempt was sent and the last one timed out.
    func isExhausted(at now: UInt64) -> Bool {
        sent >= Self.attempts && now >= nextSend
    }

    /// Whether a send is due; if so, counts it and schedules the next.
    mutating func takeSend(at now: UInt64) -> Bool {
        guard sent < Self.attempts, now >= nextSend else { return false }
        nextSend = now + Self.firstRetransmission << UInt64(sent)
        sent += 1
        return true
    }
}
