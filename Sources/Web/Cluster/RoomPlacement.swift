/// Where the rooms of a cluster live, as the room registry asks it: whether a room this node has
/// not got is to be opened here or is another node's. Without a cluster the registry has none and
/// opens every room itself.
protocol RoomPlacement: Sendable {
    /// The owner of `room`, placing it first on the least-loaded node when no live node owns it.
    /// Nil when the owner is this node.
    func claim(_ room: String) async throws(RoomPlacementError) -> RoomOwner?
    /// Gives up this node's ownership of `room`, which it no longer has participants in.
    func release(_ room: String) async
}
