/// A configured origin that is not `scheme://host[:port]`.
public enum OriginPolicyError: Error, Equatable, CustomStringConvertible {
    case invalidOrigin(String)

    public var description: String {
        switch self {
        case .invalidOrigin(let origin):
            "\(origin) is not an origin: write it as scheme://host[:port], e.g. https://relay.example.org"
        }
    }
}
