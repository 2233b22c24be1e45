/// Which pages may open the WebSockets (`/ws`, `/chat/ws`). A browser sends the page's origin
/// with every WebSocket handshake and lets any site open one to any server, cookies included, so
/// without this check a page elsewhere could speak signaling or chat as its visitor.
///
/// A handshake passes when it has no `Origin` (not a browser: `relay-bench`, scripts, tests),
/// when its origin names the host and port the request was sent to (`Host`), whatever the
/// scheme — a TLS proxy in front turns `https` into plain HTTP — or when its origin is in the
/// configured list (`relay serve --allowed-origin`).
public struct OriginPolicy: Sendable, Equatable {
    /// Allowed origins, normalised: lowercase `scheme://host[:port]`, the scheme's default port
    /// left out.
    public private(set) var allowed: Set<String>

    /// Only the server's own origin.
    public init() {
        allowed = []
    }

    /// The server's own origin and each of `origins` (`scheme://host[:port]`, nothing after).
    public init(allowing origins: [String]) throws(OriginPolicyError) {
        var allowed: Set<String> = []
        for origin in origins {
            guard let parsed = ParsedOrigin(origin) else {
                throw .invalidOrigin(origin)
            }
            allowed.insert(parsed.normalized)
        }
        self.allowed = allowed
    }

    /// Whether a handshake with this `Origin` (nil: none) sent to this `Host` may upgrade.
    public func admits(origin: String?, host: String?) -> Bool {
        guard let origin else {
            return true
        }
        guard let parsed = ParsedOrigin(origin) else {
            // "null" (sandboxed frames, file: pages) and anything malformed.
            return false
        }
        if allowed.contains(parsed.normalized) {
            return true
        }
        guard let host, let requested = ParsedOrigin.authority(host.lowercased(), defaultPorts: ["80", "443"]) else {
            return false
        }
        return requested == parsed.authority
    }
}

/// An origin split into what the policy compares.
struct ParsedOrigin: Equatable {
    let scheme: String
    /// `host` or `host:port`, lowercase, the default port of the scheme left out.
    let authority: String

    var normalized: String { scheme + "://" + authority }

    init?(_ text: String) {
        let lowered = text.lowercased()
        guard let separator = lowered.range(of: "://") else {
            return nil
        }
        let scheme = String(lowered[..<separator.lowerBound])
        guard !scheme.isEmpty, scheme.unicodeScalars.allSatisfy({ Self.schemeCharacters.contains($0) }) else {
            return nil
        }
        let defaults: Set<String> = switch scheme {
        case "http", "ws": ["80"]
        case "https", "wss": ["443"]
        default: []
        }
        guard let authority = Self.authority(String(lowered[separator.upperBound...]), defaultPorts: defaults) else {
            return nil
        }
        self.scheme = scheme
        self.authority = authority
    }

    /// `host[:port]` with a default port dropped, or nil if it holds anything else (a path, a
    /// user, spaces, an empty host, a port that is not a number).
    static func authority(_ text: String, defaultPorts: Set<String>) -> String? {
        let host: Substring
        var port: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                return nil
            }
            host = text[...close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                port = rest.dropFirst()
            }
        } else {
            let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            host = parts[0]
            port = parts.count > 1 ? parts[1] : nil
        }
        guard !host.isEmpty, host.unicodeScalars.allSatisfy({ hostCharacters.contains($0) }) else {
            return nil
        }
        guard let port else {
            return String(host)
        }
        guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber) else {
            return nil
        }
        return defaultPorts.contains(String(port)) ? String(host) : host + ":" + port
    }

    private static let schemeCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789+-.".unicodeScalars)
    private static let hostCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789-._~[]:%".unicodeScalars)
}
