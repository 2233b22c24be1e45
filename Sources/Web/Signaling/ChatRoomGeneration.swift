/// One lifetime of a room, as its chat history knows it: the room's name and an id drawn when
/// the room was created. A room ends when its last participant leaves; whoever takes the name
/// next starts a new generation, with its own options and its own history.
public struct ChatRoomGeneration: Hashable, Sendable {
    public var room: String
    public var id: String

    public init(room: String, id: String) {
        self.room = room
        self.id = id
    }
}
