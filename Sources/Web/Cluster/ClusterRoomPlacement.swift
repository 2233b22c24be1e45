import Foundation
import Logging

/// Room placement in a cluster: the room's live owner if it has one, else the least-loaded live
/// node, written so that racing nodes agree (`ClusterRooms.place`).
struct ClusterRoomPlacement: RoomPlacement {
    let member: ClusterMember
    let rooms: ClusterRooms
    let logger: Logger

    func claim(_ room: String) async throws(RoomPlacementError) -> RoomClaim {
        guard let membership = await member.currentMembership else { throw .notRegistered }
        do {
            // A few rounds: the chosen node may die between the listing and the write, or the
            // owner read back may die right after; each round reads the directory afresh.
            for _ in 0..<3 {
                if let record = try await rooms.record(of: room) {
                    guard record.owner.nodeID == membership.nodeID else { return .elsewhere(record.owner) }
                    if let generation = record.generation { return .here(generation: generation) }
                    return .here(generation: try await rooms.generation(of: room, orIfNone: UUID().uuidString))
                }
                guard let target = RoomPlacementChoice.leastLoaded(try await member.directory.liveNodes()) else {
                    throw RoomPlacementError.noNodeTakesRooms
                }
                try await rooms.place(room, on: target.id, generation: UUID().uuidString)
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

    func move(_ room: String) async -> RoomOwner? {
        guard let membership = await member.currentMembership else { return nil }
        do {
            let others = try await member.directory.liveNodes().filter { $0.id != membership.nodeID }
            guard let target = RoomPlacementChoice.leastLoaded(others) else { return nil }
            return try await rooms.move(room, from: membership, to: target.id)
        } catch {
            logger.error("cluster: could not move room \(room): \(String(reflecting: error))")
            return nil
        }
    }

    func otherNodes() async -> [String] {
        do {
            return try await member.directory.liveNodes()
                .filter { $0.id != member.nodeID && !$0.draining }
                .map { ClusterRooms.trimmed($0.publicURL) }
        } catch {
            logger.error("cluster: could not list the other nodes: \(String(reflecting: error))")
            return []
        }
    }
}
