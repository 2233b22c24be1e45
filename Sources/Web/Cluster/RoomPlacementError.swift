/// Why a room could not be placed on a node of the cluster.
enum RoomPlacementError: Error, Equatable {
    /// This node is not (or no longer) registered in the directory.
    case notRegistered
    /// No live node takes rooms: every one drains, or none is listed.
    case noNodeTakesRooms
    /// Nodes kept dying or the row kept changing while the room was placed.
    case unsettled(String)
    /// The database did not answer.
    case database(String)
}
