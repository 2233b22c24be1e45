/// A signaling option from the command line that cannot be used.
public enum SignalingConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidIceServer(String, String)

    public var description: String {
        switch self {
        case .invalidIceServer(let option, let rule): "--ice-server \(option): must be \(rule)"
        }
    }
}
