/// A room's options as its members see them, sent in `room` after `joined` and on every change.
public struct RoomState: Equatable, Sendable, Codable {
    /// The participant who may lock the room: its creator, then the longest present.
    public var owner: String
    public var locked: Bool
    /// How many may be in the room now (the mesh cap while it is direct only).
    public var capacity: Int
    public var passwordProtected: Bool
    /// The mode the room was created with: `auto`, `sfu` or `p2p`.
    public var modePolicy: CallMode
}
