import Foundation
import Logging

/// Room placement in a cluster: the room's live owner if it has one, else the least-loaded live
/// node, written so that racing nodes agree (`ClusterRooms.place`).
struct ClusterRoomPlacement: RoomPlacement {
    let member: ClusterMember
    let rooms: ClusterRooms
    let logger: Logger

    func claim(_ room: String) async throws(RoomPlacementError) -> RoomOwner? {
        guard let membership = await member.currentMembership else { throw .notRegistered }
        do {
            // A few rounds: the chosen node may die between the listing and the write, or the
            // owner read back may die right after; each round reads the directory afresh.
            for _ in 0..<3 {
                if let owner = try await rooms.owner(of: room) {
                    return owner.nodeID == membership.nodeID ? nil : owner
                }
                guard let target = RoomPlacementChoice.leastLoaded(try await member.directory.liveNodes()) else {
                    throw RoomPlacementError.noNodeTakesRooms
                }
                try await rooms.place(room, on: target.id)
            }
        } catch let error as RoomPlacementError {
            throw error
        } catch {
            throw .database(String(reflecting: error))
        }
        throw .unsettled(room)
    }

    func release(_ room: String) async {
        guard let membership = await member.currentMembership else { return }
        do {
            try await rooms.release(room, by: membership)
        } catch {
            // The row stays and names this node: a join elsewhere is sent here, and this node
            // opens the room again. It goes when the node leaves or its lease runs out.
            logger.error("cluster: could not release room \(room): \(String(reflecting: error))")
        }
    }
}
