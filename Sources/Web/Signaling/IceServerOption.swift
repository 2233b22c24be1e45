import Foundation

extension ServerMessage.IceServer {
    /// Reads `--ice-server`: a STUN or TURN URL (RFC 7064, RFC 7065), with a TURN server's
    /// credentials as the query members `username` and `credential`, which are taken out of the
    /// URL handed to browsers (other members, such as `transport=tcp`, stay).
    /// `turn:turn.example.org:3478?transport=udp&username=relay&credential=secret`. With
    /// `mintedCredentials`, a TURN URL may come without them: each participant gets its own.
    public init(option: String, mintedCredentials: Bool = false) throws(SignalingConfigurationError) {
        let parts = option.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let address = String(parts[0])
        guard let scheme = ["stun:", "stuns:", "turn:", "turns:"].first(where: { address.hasPrefix($0) }),
            address.count > scheme.count
        else {
            throw .invalidIceServer(option, "a stun:, stuns:, turn: or turns: URL with a host")
        }
        var username: String?
        var credential: String?
        var kept: [String] = []
        for member in parts.count > 1 ? parts[1].split(separator: "&") : [] {
            let pair = member.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = pair.count > 1 ? String(pair[1]).removingPercentEncoding : nil
            switch pair[0] {
            case "username": username = value
            case "credential": credential = value
            default: kept.append(String(member))
            }
        }
        if scheme.hasPrefix("turn"), (username == nil) != (credential == nil) || (username == nil && !mintedCredentials) {
            throw .invalidIceServer(option, "a TURN URL with ?username=...&credential=... (or none, with --turn-secret-file)")
        }
        self.init(urls: [kept.isEmpty ? address : address + "?" + kept.joined(separator: "&")], username: username, credential: credential)
    }
}
