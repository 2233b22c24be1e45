import Foundation
import Testing
@testable import Web

/// The choice of a node for a new room, without a database.
@Suite struct RoomPlacementChoiceTests {
    private func node(_ id: String, participants: Int = 0, packets: Double = 0, cpu: Double = 0, draining: Bool = false) -> ClusterNode {
        ClusterNode(
            id: id, publicURL: "http://\(id):8080", mediaAddresses: [], mediaPorts: [], httpPort: 8080, startedAt: Date(),
            heartbeatAt: Date(), leaseRemaining: 8,
            load: NodeLoad(rooms: 0, participants: participants, packetsPerSecond: packets, cpu: cpu), draining: draining)
    }

    @Test func fewestParticipantsWinsWhateverThePacketsAndCPU() {
        let nodes = [node("a", participants: 5), node("b", participants: 3, packets: 9_000, cpu: 0.9), node("c", participants: 4)]
        #expect(RoomPlacementChoice.leastLoaded(nodes)?.id == "b")
    }

    @Test func equalParticipantsCompareByPacketsThenCPU() {
        #expect(RoomPlacementChoice.leastLoaded([node("a", participants: 2, packets: 500), node("b", participants: 2, packets: 100)])?.id == "b")
        #expect(RoomPlacementChoice.leastLoaded([node("a", packets: 100, cpu: 0.2), node("b", packets: 100, cpu: 0.5)])?.id == "a")
    }

    @Test func exactTiesGoToTheSmallestIDWhateverTheOrder() {
        #expect(RoomPlacementChoice.leastLoaded([node("c"), node("a"), node("b")])?.id == "a")
        #expect(RoomPlacementChoice.leastLoaded([node("b"), node("c"), node("a")])?.id == "a")
    }

    @Test func drainingNodesTakeNoRooms() {
        #expect(RoomPlacementChoice.leastLoaded([node("a", draining: true), node("b", participants: 40)])?.id == "b")
        #expect(RoomPlacementChoice.leastLoaded([node("a", draining: true)]) == nil)
        #expect(RoomPlacementChoice.leastLoaded([]) == nil)
    }
}
