import Relay

/// What the flooder knows of the call it attacks, all learnt from signaling as any participant
/// learns it: the relay's media address, the ICE ufrags of its transports and of the peers at
/// their other end, and the publishers' SSRCs.
struct FloodTarget: Sendable {
    var address: TransportAddress
    /// (the relay's ufrag, the peer's ufrag) of every transport of the call.
    var ufrags: [(relay: String, peer: String)]
    var ssrcs: [UInt32]
}
