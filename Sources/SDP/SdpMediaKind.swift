import Relay
/// The media type of an `m=` line (RFC 8866 §5.14).
public enum SdpMediaKind: Hashable, Sendable, CustomStringConvertible {
    case audio
    case video
    case application
    case other(String)

    public init(token: String) {
        switch token {
        case "audio": self = .audio
        case "video": self = .video
        case "application": self = .application
        default: self = .other(token)
        }
    }

    public var token: String {
        switch self {
        case .audio: "audio"
        case .video: "video"
        case .application: "application"
        case .other(let token): token
        }
    }

    public var description: String { token }
}
