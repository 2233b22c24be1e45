import FluentPostgresDriver
import Foundation
import Logging
import SQLKit
import Testing
import VaporTesting
@testable import Web

/// Rooms in a cluster on PostgreSQL: a new room goes to the less loaded node, racing nodes agree
/// on one owner, the call page and the signaling join on the wrong node send the client to the
/// owner, and a room whose owner's lease ran out is taken over. Two applications on one schema
/// play two servers, beating every 200 ms on a lease of 4 s.
///
/// One test at a time: each runs two applications that beat, and a dozen beating at once on a
/// small machine starve the other cluster tests' 3 s leases.
@Suite(.serialized, .enabled(if: WebTestApp.usesPostgres, WebTestApp.clusterNeedsPostgres))
struct ClusterPlacementTests {
    static let urlA = "http://127.0.0.1:8081"
    static let urlB = "http://127.0.0.1:8082"
    /// Longer than the directory tests' 3 s: here the nodes must stay alive through a test run
    /// on a busy machine, and only the hand-made node's lease is meant to run out.
    static let lease = Duration.seconds(4)

    /// Two servers on one database, as nodes `node-a` and `node-b`, each with its own public URL.
    private func twoNodes(_ body: (WebTestApp, WebTestApp) async throws -> Void) async throws {
        try await WebTestApp.run(cluster: try WebTestApp.clusterNode("node-a", publicURL: Self.urlA, lease: Self.lease)) { a in
            try await WebTestApp.run(sharingSchemaOf: a, cluster: try WebTestApp.clusterNode("node-b", publicURL: Self.urlB, lease: Self.lease)) { b in
                try await body(a, b)
            }
        }
    }

    private func registry(of t: WebTestApp) throws -> RoomRegistry {
        try #require(t.app.roomRegistry)
    }

    private func rooms(of t: WebTestApp) throws -> ClusterRooms {
        ClusterRooms(database: try #require(t.app.db as? any SQLDatabase))
    }

    private func placement(of t: WebTestApp) throws -> ClusterRoomPlacement {
        ClusterRoomPlacement(member: try #require(t.app.clusterMember), rooms: try rooms(of: t), logger: Logger(label: "test"))
    }

    /// Joins `room` on node `t` as `name`; what the node answered.
    private func join(_ room: String, on t: WebTestApp, as name: String = "Ada") async throws -> RecordingConnection {
        let connection = RecordingConnection()
        try await registry(of: t).handle(.join(.init(room: room, name: name, mode: .p2p)), from: connection)
        return connection
    }

    private func redirect(of connection: RecordingConnection) -> ServerMessage? {
        connection.messages.first { if case .redirect = $0 { true } else { false } }
    }

    /// Polls `condition` every 50 ms for up to `seconds`; whether it came to hold.
    private func waitUntil(seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < .seconds(seconds) {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test func aNewRoomGoesToTheLessLoadedNode() async throws {
        try await twoNodes { a, b in
            // Two participants on node-a, in a room placed there by hand: between idle nodes the
            // choice falls to whichever sampled the lower CPU.
            try await rooms(of: a).place("busy", on: "node-a")
            let ada = try await join("busy", on: a)
            let bob = try await join("busy", on: a, as: "Bob")
            #expect(ada.joinedID != nil && bob.joinedID != nil)
            #expect(try await rooms(of: a).owner(of: "busy")?.nodeID == "node-a")
            let loaded = try await waitUntil(seconds: 3) {
                let nodes = try await #require(a.app.clusterMember).directory.liveNodes()
                return nodes.map(\.load.participants) == [2, 0]
            }
            #expect(loaded, "node-a reported its two participants")
            // A new room asked of node-a goes to node-b, the less loaded.
            let cy = try await join("fresh", on: a, as: "Cy")
            #expect(redirect(of: cy) == .redirect(room: "fresh", node: "node-b", url: Self.urlB))
            #expect(cy.joinedID == nil)
            #expect(try await registry(of: a).mode(of: "fresh") == nil, "node-a did not open it")
            let cyThere = try await join("fresh", on: b, as: "Cy")
            #expect(cyThere.joinedID != nil)
            #expect(try await rooms(of: a).owner(of: "fresh") == RoomOwner(nodeID: "node-b", publicURL: Self.urlB))
            // The last to leave its owner releases the room.
            try await registry(of: b).disconnected(cyThere)
            #expect(try await rooms(of: a).owner(of: "fresh") == nil)
            let sql = try #require(a.app.db as? any SQLDatabase)
            let left = try await sql.raw("SELECT count(*)::bigint AS n FROM cluster_rooms WHERE name = 'fresh'").first()
            #expect(try left?.decode(column: "n", as: Int.self) == 0)
        }
    }

    /// The node a claim names, `here` for this node's own.
    private static func owner(_ claim: RoomClaim, here: String) -> String {
        if case .elsewhere(let owner) = claim { owner.nodeID } else { here }
    }

    @Test func nodesRacingToPlaceARoomAgreeOnOneOwner() async throws {
        try await twoNodes { a, b in
            let placeA = try placement(of: a)
            let placeB = try placement(of: b)
            for index in 0..<20 {
                let room = "race-\(index)"
                async let fromA = placeA.claim(room)
                async let fromB = placeB.claim(room)
                let ownerSeenByA = Self.owner(try await fromA, here: "node-a")
                let ownerSeenByB = Self.owner(try await fromB, here: "node-b")
                #expect(ownerSeenByA == ownerSeenByB, "room \(room)")
                #expect(try await rooms(of: a).owner(of: room)?.nodeID == ownerSeenByA)
            }
        }
    }

    @Test func theCallPageOnTheWrongNodeRedirectsToTheOwner() async throws {
        try await twoNodes { a, b in
            try await rooms(of: a).place("standup", on: "node-a")
            #expect(try await join("standup", on: a).joinedID != nil)
            try await b.app.testing().test(.GET, "/call/standup?name=ann&mode=sfu") { response in
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location) == Self.urlA + "/call/standup?name=ann&mode=sfu")
            }
            try await a.app.testing().test(.GET, "/call/standup?name=ann") { response in
                #expect(response.status == .ok, "the owner serves the page")
                // It may ask the other node whether it is up, should this one stop answering.
                let policy = response.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(policy.contains("connect-src 'self' http://127.0.0.1:8082;"), "\(policy)")
            }
            // A room no node has yet is served where asked; its join places it.
            try await b.app.testing().test(.GET, "/call/nobody-yet") { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func theSignalingJoinOnTheWrongNodeIsRedirected() async throws {
        try await twoNodes { a, b in
            try await rooms(of: a).place("standup", on: "node-a")
            #expect(try await join("standup", on: a).joinedID != nil)
            let bob = try await join("standup", on: b, as: "Bob")
            #expect(bob.messages == [.redirect(room: "standup", node: "node-a", url: Self.urlA)])
            #expect(try await registry(of: b).mode(of: "standup") == nil)
            // The socket stays usable: the client may still join a room of this node.
            try await registry(of: b).handle(.leave, from: bob)
            #expect(bob.messages.last == .error(.notJoined))
            // The same over node-b's real /ws.
            try await LiveServer.run(b) { server in
                let client = try await SocketClient.connect(port: server.port, on: b.app.eventLoopGroup)
                try await client.send(["type": .string("join"), "room": .string("standup"), "name": .string("Cy")])
                let frame = try await client.next(type: "redirect")
                #expect(frame == ["type": .string("redirect"), "room": .string("standup"), "node": .string("node-a"), "url": .string(Self.urlA)])
                try? await client.socket.close()
            }
        }
    }

    @Test func aDrainingNodeSendsNewRoomsElsewhere() async throws {
        try await twoNodes { a, b in
            _ = try await registry(of: b).beginDraining(until: Date().addingTimeInterval(60))
            await b.app.clusterMember?.markDraining()
            let ada = try await join("late", on: b)
            #expect(redirect(of: ada) == .redirect(room: "late", node: "node-a", url: Self.urlA))
            // With every node draining, the join is refused as on a server alone.
            _ = try await registry(of: a).beginDraining(until: Date().addingTimeInterval(60))
            await a.app.clusterMember?.markDraining()
            let bob = try await join("later", on: b, as: "Bob")
            #expect(bob.messages == [.error(.serverDraining)])
        }
    }

    @Test func aRoomWhoseOwnersLeaseRanOutIsTakenOver() async throws {
        try await WebTestApp.run(cluster: try WebTestApp.clusterNode("node-a", publicURL: Self.urlA, lease: Self.lease)) { a in
            // A node that never beats again after placing a room: as if SIGKILLed mid-call.
            let sql = try #require(a.app.db as? any SQLDatabase)
            // Its lease outlasts the first join even on a busy machine, and runs out a little later.
            let doomed = ClusterDirectory(database: sql, lease: .milliseconds(1_500))
            _ = try await doomed.register(NodeAnnouncement(
                nodeID: "node-killed", publicURL: "http://127.0.0.1:9090", mediaAddresses: [], mediaPorts: [], httpPort: 9090))
            try await rooms(of: a).place("orphan", on: "node-killed")
            let early = try await join("orphan", on: a)
            #expect(redirect(of: early) == .redirect(room: "orphan", node: "node-killed", url: "http://127.0.0.1:9090"))
            let expired = try await waitUntil(seconds: 6) {
                try await #require(a.app.clusterMember).directory.liveNodes().allSatisfy { $0.id != "node-killed" }
            }
            #expect(expired)
            let late = try await join("orphan", on: a, as: "Bob")
            #expect(late.joinedID != nil, "node-a took the room over")
            #expect(try await rooms(of: a).owner(of: "orphan")?.nodeID == "node-a")
        }
    }

    @Test func aJoinOnANodeOfTheClusterIsToldTheOtherNodes() async throws {
        try await twoNodes { a, b in
            try await rooms(of: a).place("standup", on: "node-b")
            let ada = try await join("standup", on: b)
            #expect(ada.joinedID != nil)
            #expect(ada.messages.last == .nodes(urls: [Self.urlA]))
        }
    }

    @Test func aNodeWhosePresenceEndsIsDeadAtOnceAndItsRoomKeepsItsChat() async throws {
        try await WebTestApp.run(cluster: try WebTestApp.clusterNode("node-a", publicURL: Self.urlA, lease: Self.lease)) { a in
            let sql = try #require(a.app.db as? any SQLDatabase)
            let url = try #require(WebTestApp.postgresURL)
            let presence = NodePresence(
                configuration: try SQLPostgresConfiguration(url: url).coreConfiguration, eventLoop: a.app.eventLoopGroup.any(),
                logger: Logger(label: "test"))
            try await presence.start()
            // A lease far longer than the test: only the presence can end this node.
            let other = ClusterDirectory(database: sql, lease: .seconds(60))
            _ = try await other.register(NodeAnnouncement(
                nodeID: "node-killed", publicURL: "http://127.0.0.1:9090", mediaAddresses: [], mediaPorts: [], httpPort: 9090),
                presence: presence.name)
            try await rooms(of: a).place("standup", on: "node-killed", generation: "call-1")
            #expect(redirect(of: try await join("standup", on: a)) != nil, "the live owner keeps its room")
            // Its process dies: the connection closes, and the node is gone with it.
            await presence.stop()
            let gone = try await waitUntil(seconds: 2) {
                try await #require(a.app.clusterMember).directory.liveNodes().map(\.id) == ["node-a"]
            }
            #expect(gone, "the node is dead as soon as its presence session ends, its lease running")
            // Its room comes here, the same call: its chat generation goes on.
            let bob = try await join("standup", on: a, as: "Bob")
            #expect(bob.joinedID != nil)
            #expect(try await rooms(of: a).record(of: "standup") == RoomRecord(
                owner: RoomOwner(nodeID: "node-a", publicURL: Self.urlA), generation: "call-1"))
            #expect(try await registry(of: a).rooms["standup"]?.chatGeneration == "call-1")
            // Another process of the dead node's id registers at once, not a lease later.
            _ = try await other.register(NodeAnnouncement(
                nodeID: "node-killed", publicURL: "http://127.0.0.1:9091", mediaAddresses: [], mediaPorts: [], httpPort: 9091))
        }
    }

    @Test func aDrainingNodeMovesItsRoomsAndTellsItsParticipants() async throws {
        try await twoNodes { a, b in
            try await rooms(of: a).place("standup", on: "node-b")
            let ada = try await join("standup", on: b)
            #expect(ada.joinedID != nil)
            let generation = try #require(try await registry(of: b).rooms["standup"]?.chatGeneration)
            _ = try await registry(of: b).beginDraining(until: Date().addingTimeInterval(60))
            await b.app.clusterMember?.markDraining()
            await (try registry(of: b)).moveRoomsAway()
            #expect(ada.messages.last == .moved(room: "standup", node: "node-a", url: Self.urlA))
            #expect(try await rooms(of: a).record(of: "standup") == RoomRecord(
                owner: RoomOwner(nodeID: "node-a", publicURL: Self.urlA), generation: generation))
            // A join still reaching node-b goes to node-a; there, the room goes on with its chat.
            let late = try await join("standup", on: b, as: "Cy")
            #expect(late.messages == [.redirect(room: "standup", node: "node-a", url: Self.urlA)])
            let moved = try await join("standup", on: a, as: "Ada")
            #expect(moved.joinedID != nil)
            #expect(try await registry(of: a).rooms["standup"]?.chatGeneration == generation)
            // Ada leaves node-b: the room ends there, and its row stays node-a's.
            try await registry(of: b).handle(.leave, from: ada)
            #expect(try await registry(of: b).roomCount == 0)
            #expect(try await rooms(of: a).owner(of: "standup")?.nodeID == "node-a")
        }
    }
}
