/// The type of an ICE candidate (RFC 8445 §5.1.1, RFC 8839 §5.1 `typ`).
public enum IceCandidateType: String, Sendable {
    case host
    case serverReflexive = "srflx"
    case peerReflexive = "prflx"
    case relayed = "relay"

    /// The recommended type preference of RFC 8445 §5.1.2.2.
    public var typePreference: UInt32 {
        switch self {
        case .host: 126
        case .peerReflexive: 110
        case .serverReflexive: 100
        case .relayed: 0
        }
    }
}
