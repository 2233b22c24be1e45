/// Which of the machine's addresses each peer sends to, learned from what arrives on a socket
/// bound to all of them, so that what the relay sends a peer leaves from that address: a
/// browser drops what comes from an address it did not send to, and the kernel's route may
/// prefer another. While every datagram has come to one address no table is kept, and nothing
/// is looked up per packet. A class: the worker's sink asks it for every datagram it sends, and
/// a struct read through a class property is copied, table and all.
final class ReplySources {
    /// Peers remembered at most; the table starts over when full (a flood of spoofed sources
    /// cannot grow it without bound).
    static let capacity = 65_536

    /// The first address anything arrived at: the source for every peer while it is the only
    /// one, and for peers not in `byPeer` after.
    private var first: UInt32 = 0
    private var byPeer: [TransportAddress: UInt32] = [:]
    private var isMixed = false

    /// A datagram from `peer` arrived at `local` (IPv4, host order; 0 when unknown).
    func learn(_ local: UInt32, from peer: TransportAddress) {
        guard local != 0 else { return }
        if !isMixed {
            if first == 0 || first == local {
                first = local
                return
            }
            // Every peer so far sent to `first`, which stays their answer.
            isMixed = true
        }
        guard byPeer[peer] != local else { return }
        if byPeer.count >= Self.capacity { byPeer.removeAll(keepingCapacity: true) }
        byPeer[peer] = local
    }

    /// The address to send `peer` datagrams from; 0 lets the kernel choose.
    func source(for peer: TransportAddress) -> UInt32 {
        guard isMixed else { return first }
        return byPeer[peer] ?? first
    }
}
