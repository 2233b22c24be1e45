import RTP

/// What a worker needs to open its end of a relay link: the other end's media address and the
/// SRTP keys of both directions (AEAD_AES_128_GCM), drawn by whoever sets the link up and given
/// to both ends (`reversed`) over the cluster's control channel.
public struct NodeLinkSetup: Sendable, Equatable, Codable {
    public var id: NodeLinkID
    /// The other end's media address: a worker's announced address and UDP port on another node.
    public var remote: TransportAddress
    /// Keys of what this end sends, and of what it receives.
    public var sending: SrtpKeyingMaterial
    public var receiving: SrtpKeyingMaterial

    public init(id: NodeLinkID, remote: TransportAddress, sending: SrtpKeyingMaterial, receiving: SrtpKeyingMaterial) {
        self.id = id
        self.remote = remote
        self.sending = sending
        self.receiving = receiving
    }

    /// A link to `remote` with fresh random keys in both directions.
    public static func random(id: NodeLinkID, remote: TransportAddress) -> NodeLinkSetup {
        NodeLinkSetup(id: id, remote: remote, sending: randomKeys(), receiving: randomKeys())
    }

    /// The other end's setup: its remote is `address` (this end's media address), and what one
    /// end sends the other receives.
    public func reversed(remote address: TransportAddress) -> NodeLinkSetup {
        NodeLinkSetup(id: id, remote: address, sending: receiving, receiving: sending)
    }

    static func randomKeys() -> SrtpKeyingMaterial {
        var generator = SystemRandomNumberGenerator()
        let profile = SrtpProfile.aeadAes128Gcm
        return SrtpKeyingMaterial(
            key: (0..<profile.keyLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) },
            salt: (0..<profile.saltLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }
}
