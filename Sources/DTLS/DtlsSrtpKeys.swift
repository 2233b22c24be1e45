import RTP

/// What a finished DTLS-SRTP handshake yields: the profile and the keys of both directions,
/// already assigned to this side (RFC 5764 §4.2).
public struct DtlsSrtpKeys: Equatable, Sendable {
    public var profile: SrtpProfile
    /// Protects what this side sends.
    public var local: SrtpKeyingMaterial
    /// Unprotects what the peer sends.
    public var remote: SrtpKeyingMaterial

    public init(profile: SrtpProfile, local: SrtpKeyingMaterial, remote: SrtpKeyingMaterial) {
        self.profile = profile
        self.local = local
        self.remote = remote
    }

    /// Splits exported keying material, laid out as client key, server key, client salt,
    /// server salt (RFC 5764 §4.2), and assigns the halves by role.
    init(profile: SrtpProfile, exported: [UInt8], role: DtlsContext.Role) {
        let keyLength = profile.keyLength
        let saltLength = profile.saltLength
        let clientKey = Array(exported[0..<keyLength])
        let serverKey = Array(exported[keyLength..<(2 * keyLength)])
        let clientSalt = Array(exported[(2 * keyLength)..<(2 * keyLength + saltLength)])
        let serverSalt = Array(exported[(2 * keyLength + saltLength)..<(2 * keyLength + 2 * saltLength)])
        let client = SrtpKeyingMaterial(key: clientKey, salt: clientSalt)
        let server = SrtpKeyingMaterial(key: serverKey, salt: serverSalt)
        switch role {
        case .client: self.init(profile: profile, local: client, remote: server)
        case .server: self.init(profile: profile, local: server, remote: client)
        }
    }
}
