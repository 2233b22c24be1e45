/// What one `/chat/ws` socket may make the server do and keep: messages a second, and how many
/// messages of a room the database keeps.
public struct ChatLimits: Sendable, Equatable {
    /// Frames one socket may send a second, after a burst of `messageBurst`; each stored
    /// message is written to the database and sent to everyone in the room.
    public var messagesPerSecond: Double
    public var messageBurst: Double
    /// Messages of one room the database keeps; older ones are deleted as new ones come.
    /// Fewer than 100 also shortens the history a joining client is sent.
    public var retainedPerRoom: Int

    public init(messagesPerSecond: Double = 5, messageBurst: Double = 10, retainedPerRoom: Int = 1000) {
        self.messagesPerSecond = messagesPerSecond
        self.messageBurst = messageBurst
        self.retainedPerRoom = retainedPerRoom
    }
}
