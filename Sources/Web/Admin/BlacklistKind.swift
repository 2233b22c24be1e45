/// What a blacklist entry matches: a client IP address or an account's username.
enum BlacklistKind: String, Codable, Sendable, CaseIterable {
    case ip
    case account
}
