/// Where the rooms of a cluster live, as the room registry asks it: whether a room this node has
/// not got is to be opened here or is another node's. Without a cluster the registry has none and
/// opens every room itself.
protocol RoomPlacement: Sendable {
    /// Where `room` lives, placing it first on the least-loaded node when no live node owns it.
    func claim(_ room: String) async throws(RoomPlacementError) -> RoomClaim
    /// Gives up this node's ownership of `room`, which it no longer has participants in.
    func release(_ room: String) async
    /// Hands `room`, open here, to the least-loaded other node that takes rooms: its new owner,
    /// nil when none takes it (the room stays here).
    func move(_ room: String) async -> RoomOwner?
    /// The public URLs of the other live nodes that take rooms: where this node's pages go to
    /// find their call again should this node die.
    func otherNodes() async -> [String]
}
