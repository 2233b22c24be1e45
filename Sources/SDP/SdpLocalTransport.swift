import Relay
import DTLS

/// What the relay writes about its own end of a peer connection: ICE-lite credentials, the
/// DTLS certificate fingerprint and one host candidate per worker port.
public struct SdpLocalTransport: Equatable, Sendable {
    public var iceUfrag: String
    public var icePwd: String
    public var fingerprint: CertificateFingerprint
    public var candidates: [TransportAddress]

    public init(iceUfrag: String, icePwd: String, fingerprint: CertificateFingerprint, candidates: [TransportAddress]) {
        self.iceUfrag = iceUfrag
        self.icePwd = icePwd
        self.fingerprint = fingerprint
        self.candidates = candidates
    }

    /// The `c=` line: the first candidate's address, or the JSEP placeholder without one.
    var connection: SdpConnection {
        candidates.first.map(SdpConnection.init) ?? .placeholder
    }

    /// The `m=` port: the first candidate's port, or 9 (discard) as JSEP writes when the
    /// address is unknown (RFC 8829 §5.2.1).
    var port: UInt16 { candidates.first?.port ?? 9 }

    /// The transport attributes every bundled section repeats: credentials, fingerprint and
    /// setup role (RFC 8839 §5.4, RFC 8122 §5, RFC 5763 §5).
    func transportAttributes(setup: SdpSetupRole) -> [SdpAttribute] {
        [
            SdpAttribute("ice-ufrag", iceUfrag),
            SdpAttribute("ice-pwd", icePwd),
            SdpAttribute("fingerprint", fingerprint.sdpValue),
            SdpAttribute("setup", setup.rawValue),
        ]
    }

    /// The host candidates and `a=end-of-candidates`: an ICE-lite relay knows them all up
    /// front (RFC 8840 §4.1).
    var candidateAttributes: [SdpAttribute] {
        candidates.enumerated().map { SdpAttribute("candidate", SdpCandidate.host($0.element, index: $0.offset).sdpValue) }
            + [SdpAttribute("end-of-candidates")]
    }
}
