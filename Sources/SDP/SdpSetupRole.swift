import Relay
/// The `a=setup` attribute: which side opens the DTLS association (RFC 4145 §4, RFC 5763 §5).
/// `active` is the DTLS client, `passive` the server.
public enum SdpSetupRole: String, CaseIterable, Sendable {
    case active
    case passive
    case actpass
    case holdconn
}
