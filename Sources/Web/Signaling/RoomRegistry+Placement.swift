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
    /// it joins at once: a room lives on the node that has it open, unless a drain moved it.
    func joinPlaced(_ request: JoinRequest, connection: any SignalingConnection) async throws(SignalingError) {
        let room = request.room
        guard let placement else {
            try await joinHere(request, connection: connection)
            return
        }
        if let owner = movedRooms[room] {
            redirect(connection, to: owner, room: room)
            return
        }
        if rooms[room] != nil {
            try await joinHere(request, connection: connection)
        } else {
            placementsInFlight[room, default: 0] += 1
            let claim: RoomClaim
            do {
                claim = try await placement.claim(room)
            } catch {
                await endPlacement(of: room)
                logger.error("cluster: could not place room", metadata: ["room": .string(room), "error": .string("\(error)")])
                // A draining node that finds no other node to send the room to says why, as alone.
                if drain.isDraining { throw .serverDraining }
                throw .notAvailable("a node of the cluster for this room")
            }
            switch claim {
            case .elsewhere(let owner):
                await endPlacement(of: room)
                redirect(connection, to: owner, room: room)
                return
            case .here(let generation):
                do {
                    try await joinHere(request, generation: generation, connection: connection)
                } catch {
                    await endPlacement(of: room)
                    throw error
                }
                await endPlacement(of: room)
            }
        }
        connection.send(.nodes(urls: await placement.otherNodes()))
    }

    private func redirect(_ connection: any SignalingConnection, to owner: RoomOwner, room: String) {
        logger.info("redirected", metadata: ["room": .string(room), "node": .string(owner.nodeID)])
        connection.send(.redirect(room: room, node: owner.nodeID, url: owner.publicURL))
    }

    /// Draining in a cluster: each room open here is handed to another node that takes rooms, and
    /// its participants are told to go there (`moved`); the room ends here as they leave. A room
    /// no other node takes stays, and ends here as without a cluster.
    public func moveRoomsAway() async {
        guard let placement else { return }
        for name in rooms.keys.sorted() where movedRooms[name] == nil {
            guard let owner = await placement.move(name) else {
                logger.warning("cluster: no node takes room; it stays until it ends", metadata: ["room": .string(name)])
                continue
            }
            // Read after the move: whoever joined meanwhile is told too.
            guard let room = rooms[name] else { continue }
            movedRooms[name] = owner
            logger.info("moved", metadata: ["room": .string(name), "node": .string(owner.nodeID)])
            for id in room.order {
                participants[id]?.connection.send(.moved(room: name, node: owner.nodeID, url: owner.publicURL))
            }
        }
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
            if case .elsewhere(let owner) = try await placement.claim(room) {
                logger.error(
                    "cluster: room reopened here while another node placed it", metadata: ["room": .string(room), "node": .string(owner.nodeID)])
            }
        } catch {
            logger.error("cluster: could not place a reopened room", metadata: ["room": .string(room), "error": .string("\(error)")])
        }
    }
}
