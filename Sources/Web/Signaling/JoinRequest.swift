/// The fields of `join`: who joins which room, and, for the participant who creates it, the
/// room's mode and options.
public struct JoinRequest: Equatable, Sendable {
    public var room: String
    public var name: String
    /// The mode asked for; a room keeps the mode of the participant who created it.
    public var mode: CallMode
    /// Matched against the server's admin token: an admin may join a locked room and lock any.
    public var token: String?
    /// Sets the password of a new room; must match to enter an existing one.
    public var password: String?
    /// Caps a new room below the server's own limit.
    public var maximumParticipants: Int?

    public init(
        room: String, name: String, mode: CallMode = .auto, token: String? = nil, password: String? = nil,
        maximumParticipants: Int? = nil
    ) {
        self.room = room
        self.name = name
        self.mode = mode
        self.token = token
        self.password = password
        self.maximumParticipants = maximumParticipants
    }
}
