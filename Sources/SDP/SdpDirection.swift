import Relay
/// A media direction attribute (RFC 8866 §6.7), seen from the side that wrote it.
public enum SdpDirection: String, CaseIterable, Sendable {
    case sendrecv
    case sendonly
    case recvonly
    case inactive

    /// The direction the other side answers with when it accepts everything it can
    /// (RFC 3264 §6.1): what one side sends the other receives.
    public var reversed: SdpDirection {
        switch self {
        case .sendrecv: .sendrecv
        case .sendonly: .recvonly
        case .recvonly: .sendonly
        case .inactive: .inactive
        }
    }

    public var sends: Bool { self == .sendrecv || self == .sendonly }
    public var receives: Bool { self == .sendrecv || self == .recvonly }
}
