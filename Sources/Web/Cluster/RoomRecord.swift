/// A room's row in the cluster: the live node that has it, and the chat generation of the call,
/// which the room keeps when it moves to another node.
struct RoomRecord: Sendable, Equatable {
    var owner: RoomOwner
    /// Nil for a row placed before generations were kept.
    var generation: String?
}
