import DTLS

/// How the relay reaches one client's transport: both sides' ICE credentials and the
/// certificate fingerprint the client's DTLS must present (RFC 8842 §5).
public struct TransportSetup: Sendable, Equatable, Codable {
    public var id: TransportID
    public var localCredentials: IceCredentials
    public var remoteCredentials: IceCredentials
    public var remoteFingerprint: CertificateFingerprint

    public init(
        id: TransportID, localCredentials: IceCredentials, remoteCredentials: IceCredentials,
        remoteFingerprint: CertificateFingerprint
    ) {
        self.id = id
        self.localCredentials = localCredentials
        self.remoteCredentials = remoteCredentials
        self.remoteFingerprint = remoteFingerprint
    }
}
