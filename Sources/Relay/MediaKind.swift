public enum MediaKind: String, Sendable, Codable {
    case audio
    case video
}
