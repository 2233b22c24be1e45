/// A signaling option from the command line, a file or the environment that cannot be used.
public enum SignalingConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidIceServer(String, String)
    /// One setting given by more than one source (options or environment variables, named).
    case conflictingSources([String])
    case unreadableFile(option: String, path: String, reason: String)
    /// The source that gave an empty admin token.
    case emptyAdminToken(String)
    /// The source that gave an empty TURN secret.
    case emptyTurnSecret(String)

    public var description: String {
        switch self {
        case .invalidIceServer(let option, let rule): "ICE server \(option): must be \(rule)"
        case .conflictingSources(let sources):
            "\(sources.joined(separator: " and ")) give the same setting: use one of them"
        case .unreadableFile(let option, let path, let reason): "\(option) \(path): cannot be read: \(reason)"
        case .emptyAdminToken(let source): "\(source): the admin token is empty"
        case .emptyTurnSecret(let source): "\(source): the TURN secret is empty"
        }
    }
}
