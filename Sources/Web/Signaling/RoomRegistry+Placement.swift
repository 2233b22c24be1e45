import Foundation

/// Rooms in a cluster: a join of a room this node has not got first asks the placement where the
/// room lives; a room placed elsewhere gets the client a `redirect`, and a room that ends here
/// gives its row up.
extension RoomRegistry {
    /// Places this node's rooms through `placement` from now on.
    func use(_ placement: any RoomPlacement) {
        self.placement = placement
    }

    /// Joins here, or sends the client to the room's node. Alone, or for a room already open here,
    /// it joins at once: a room lives on the node that has it open.
    func joinPlaced(_ request: JoinRequest, connection: any SignalingConnection) async throws(SignalingError) {
        let room = request.room
        guard let placement, rooms[room] == nil else {
            try await joinHere(request, connection: connection)
            return
        }
        placementsInFlight[room, default: 0] += 1
        let owner: RoomOwner?
        do {
            owner = try await placement.claim(room)
        } catch {
            await endPlacement(of: room)
            logger.error("cluster: could not place room", metadata: ["room": .string(room), "error": .string("\(error)")])
            // A draining node that finds no other node to send the room to says why, as alone.
            if drain.isDraining { throw .serverDraining }
            throw .notAvailable("a node of the cluster for this room")
        }
        if let owner {
            await endPlacement(of: room)
            logger.info("redirected", metadata: ["room": .string(room), "node": .string(owner.nodeID)])
            connection.send(.redirect(room: room, node: owner.nodeID, url: owner.publicURL))
            return
        }
        do {
            try await joinHere(request, connection: connection)
        } catch {
            await endPlacement(of: room)
            throw error
        }
        await endPlacement(of: room)
    }

    /// One join of `room` is through with the placement; a room that it placed here but that did
    /// not open (the join was refused) is given up.
    private func endPlacement(of room: String) async {
        let remaining = (placementsInFlight[room] ?? 1) - 1
        placementsInFlight[room] = remaining > 0 ? remaining : nil
        await releaseIfUnused(room)
    }

    /// Gives up `room`'s row when no one is in it here and no join of it waits on the placement.
    func releaseIfUnused(_ room: String) async {
        guard let placement, rooms[room] == nil, placementsInFlight[room] == nil else { return }
        await placement.release(room)
        // A join may have opened the room again while the row was being deleted, finding it still
        // this node's: the room needs its row back, or another node could open it too.
        guard rooms[room] != nil, placementsInFlight[room] == nil else { return }
        do {
            if let owner = try await placement.claim(room) {
                logger.error(
                    "cluster: room reopened here while another node placed it", metadata: ["room": .string(room), "node": .string(owner.nodeID)])
            }
        } catch {
            logger.error("cluster: could not place a reopened room", metadata: ["room": .string(room), "error": .string("\(error)")])
        }
    }
}
