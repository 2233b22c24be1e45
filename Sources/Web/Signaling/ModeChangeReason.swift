/// Why a room changed mode, sent with `mode` so clients can say what happened.
public enum ModeChangeReason: String, Sendable, Codable {
    /// An auto room reached three participants: the relay carries the media.
    case grew
    /// An auto room is back to two: direct again.
    case shrank
    /// A participant could not reach the relay's media port; the room continues directly.
    case relayUnreachable = "relay-unreachable"
}
