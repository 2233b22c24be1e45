import Relay
import DTLS

/// What the relay learns about the client's end of a peer connection from its description:
/// ICE credentials to check STUN requests, the certificate fingerprint to check the DTLS
/// handshake, and the DTLS role it asked for.
public struct SdpRemoteTransport: Equatable, Sendable {
    public var iceUfrag: String
    public var icePwd: String
    public var fingerprint: CertificateFingerprint
    /// The role as written; `active` when the description has none (RFC 4145 §4).
    public var setup: SdpSetupRole
    public var iceOptions: [String]

    public init(
        iceUfrag: String, icePwd: String, fingerprint: CertificateFingerprint, setup: SdpSetupRole,
        iceOptions: [String] = []
    ) {
        self.iceUfrag = iceUfrag
        self.icePwd = icePwd
        self.fingerprint = fingerprint
        self.setup = setup
        self.iceOptions = iceOptions
    }

    /// Reads the transport of `section`, falling back to session-level attributes. With
    /// BUNDLE every section shares the transport of the first one (RFC 8843 §7.1.3).
    init(section: MediaDescription, in description: SessionDescription) throws(SdpNegotiationError) {
        guard let ufrag = section.iceUfrag ?? description.iceUfrag,
            let pwd = section.icePwd ?? description.icePwd
        else { throw .missingIceCredentials }
        guard let fingerprint = section.fingerprint ?? description.fingerprint else { throw .missingFingerprint }
        let options = section.iceOptions.isEmpty ? description.iceOptions : section.iceOptions
        self.init(
            iceUfrag: ufrag, icePwd: pwd, fingerprint: fingerprint,
            setup: section.setup ?? description.setup ?? .active, iceOptions: options)
    }
}
