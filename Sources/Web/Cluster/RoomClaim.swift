/// Where a join of a room this node has not got goes, as the placement answers.
enum RoomClaim: Sendable, Equatable {
    /// The room is this node's: open it, with the chat generation of the call it continues (nil:
    /// draw a new one).
    case here(generation: String?)
    /// Another node has the room: send the client there.
    case elsewhere(RoomOwner)
}
