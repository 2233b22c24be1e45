import Relay
/// Why a well-formed description cannot be negotiated with the relay.
public enum SdpNegotiationError: Error, Equatable, Sendable {
    /// No section carries `a=ice-ufrag` and `a=ice-pwd`, at its level or the session's.
    case missingIceCredentials
    /// No SHA-256 `a=fingerprint`: the DTLS certificate could not be checked (RFC 5763 §5).
    case missingFingerprint
    /// The client asks for a DTLS role that would make the relay the client; the relay is
    /// always the DTLS server.
    case incompatibleSetupRole(SdpSetupRole)
    /// An answer with a different number of media sections than the offer, or a different mid
    /// at some position (RFC 8829 §5.3.1).
    case mediaSectionsMismatch
    /// Every section of the description is rejected, so there is no transport to read.
    case noAcceptedMedia
    /// An answer arrived when no offer was awaiting one (RFC 8829 §4.1.10).
    case noOutstandingOffer
}
