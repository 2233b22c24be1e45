import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import Web

/// The cluster's directory on PostgreSQL: nodes register, beat, drain and leave, and a node that
/// stops beating is gone when its lease runs out. Each node here is a whole application on one
/// schema, as two servers on one database; they beat every 200 ms on a lease of 3 s (a machine
/// running the whole suite can stall for most of a second), not the 8 s of the real lease.
@Suite(.enabled(if: WebTestApp.usesPostgres, WebTestApp.clusterNeedsPostgres))
struct ClusterDirectoryTests {
    /// Two servers on one database, as nodes `node-a` and `node-b`.
    private func twoNodes(_ body: (WebTestApp, WebTestApp) async throws -> Void) async throws {
        try await WebTestApp.run(cluster: try WebTestApp.clusterNode("node-a")) { a in
            try await WebTestApp.run(sharingSchemaOf: a, cluster: try WebTestApp.clusterNode("node-b")) { b in
                try await body(a, b)
            }
        }
    }

    private func directory(of t: WebTestApp) throws -> ClusterDirectory {
        try #require(t.app.clusterMember).directory
    }

    /// Polls `condition` every 50 ms for up to `seconds`; how long it took, or nil if it never held.
    private func waitUntil(seconds: Double, _ condition: () async throws -> Bool) async throws -> Duration? {
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < .seconds(seconds) {
            if try await condition() { return clock.now - start }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    @Test func twoNodesRegisterAndEachSeesBoth() async throws {
        try await twoNodes { a, b in
            for t in [a, b] {
                let nodes = try await directory(of: t).liveNodes()
                #expect(nodes.map(\.id) == ["node-a", "node-b"])
                for node in nodes {
                    #expect(node.publicURL == "http://127.0.0.1:8080")
                    #expect(node.httpPort == 8080)
                    #expect(node.mediaPorts.isEmpty && node.mediaAddresses.isEmpty, "no media plane in these tests")
                    #expect(!node.draining)
                    #expect(node.leaseRemaining > 0 && node.leaseRemaining <= 3)
                    #expect(node.heartbeatAt >= node.startedAt)
                }
            }
        }
    }

    @Test func heartbeatsKeepANodeAliveAndCarryItsLoad() async throws {
        try await twoNodes { a, b in
            let registry = try #require(b.app.roomRegistry)
            // Placed on node-b first: left to the placement, the idle nodes' tie goes to node-a.
            try await ClusterRooms(database: try #require(b.app.db as? any SQLDatabase)).place("standup", on: "node-b")
            let ada = RecordingConnection()
            await registry.handle(.join(.init(room: "standup", name: "Ada", mode: .p2p)), from: ada)
            #expect(ada.joinedID != nil)
            // Past a whole lease: only beats keep node-b listed, and one of them carries its room.
            let loaded = try await waitUntil(seconds: 3) {
                let nodeB = try await directory(of: a).liveNodes().first { $0.id == "node-b" }
                return nodeB?.load.rooms == 1 && nodeB?.load.participants == 1
            }
            #expect(loaded != nil, "node-b reported its room")
            try await Task.sleep(for: .milliseconds(3_200))
            let nodes = try await directory(of: a).liveNodes()
            #expect(nodes.map(\.id) == ["node-a", "node-b"])
            let nodeB = try #require(nodes.last)
            #expect(nodeB.heartbeatAt > nodeB.startedAt)
            #expect(nodeB.load.cpu >= 0 && nodeB.load.cpu <= 1)
            #expect(nodeB.load.packetsPerSecond == 0)
        }
    }

    @Test func aNodeThatStopsBeatingIsGoneWhenItsLeaseRunsOut() async throws {
        try await WebTestApp.run(cluster: try WebTestApp.clusterNode("node-a")) { a in
            // A node registered by hand that never beats: as if SIGKILLed right after it started.
            let sql = try #require(a.app.db as? any SQLDatabase)
            let quiet = ClusterDirectory(database: sql, lease: .milliseconds(800))
            _ = try await quiet.register(NodeAnnouncement(
                nodeID: "node-killed", publicURL: "http://127.0.0.1:9090", mediaAddresses: ["127.0.0.1"], mediaPorts: [40000],
                httpPort: 9090))
            #expect(try await directory(of: a).liveNodes().map(\.id) == ["node-a", "node-killed"])
            let gone = try await waitUntil(seconds: 3) {
                try await directory(of: a).liveNodes().map(\.id) == ["node-a"]
            }
            let after = try #require(gone, "node-killed still listed 3 s after its last beat")
            #expect(after >= .milliseconds(600), "gone only when its lease ran out, not before")
            #expect(try await directory(of: a).liveNodeCount() == 1)
        }
    }

    @Test func aDrainingNodeIsListedDrainingThenGone() async throws {
        try await WebTestApp.run(cluster: try WebTestApp.clusterNode("node-a")) { a in
            try await WebTestApp.run(sharingSchemaOf: a, cluster: try WebTestApp.clusterNode("node-b")) { b in
                // What SIGTERM does: the rooms drain and the node says so at once.
                let registry = try #require(b.app.roomRegistry)
                _ = await registry.beginDraining(until: Date().addingTimeInterval(60))
                await b.app.clusterMember?.markDraining()
                let nodes = try await directory(of: a).liveNodes()
                #expect(nodes.first { $0.id == "node-b" }?.draining == true)
                #expect(nodes.first { $0.id == "node-a" }?.draining == false)
                // Beats keep it draining.
                try await Task.sleep(for: .milliseconds(500))
                #expect(try await directory(of: a).liveNodes().first { $0.id == "node-b" }?.draining == true)
            }
            // node-b's application shut down: its row is gone at once, not a lease later.
            #expect(try await directory(of: a).liveNodes().map(\.id) == ["node-a"])
        }
    }

    @Test func aNodeDrainingWithoutBeingToldIsListedAtItsNextBeat() async throws {
        try await WebTestApp.run(cluster: try WebTestApp.clusterNode("node-a")) { a in
            _ = try await #require(a.app.roomRegistry).beginDraining(until: Date().addingTimeInterval(60))
            let listed = try await waitUntil(seconds: 2) {
                try await directory(of: a).liveNodes().first?.draining == true
            }
            #expect(listed != nil)
        }
    }

    @Test func aLiveNodesIDIsRefusedAndAnExpiredOnesTakenOver() async throws {
        try await WebTestApp.run(cluster: try WebTestApp.clusterNode("node-a")) { a in
            let sql = try #require(a.app.db as? any SQLDatabase)
            let other = ClusterDirectory(database: sql, lease: .milliseconds(300))
            let announcement = NodeAnnouncement(
                nodeID: "node-a", publicURL: "http://127.0.0.1:9090", mediaAddresses: [], mediaPorts: [], httpPort: 9090)
            await #expect(throws: ClusterDirectoryError.nodeIDInUse("node-a")) {
                try await other.register(announcement)
            }
            // A second process of the same id registers once the first's lease ran out; the first,
            // beating again, does not write over the second's row.
            let first = try await other.register(NodeAnnouncement(
                nodeID: "node-z", publicURL: "http://127.0.0.1:9091", mediaAddresses: [], mediaPorts: [], httpPort: 9091))
            try await Task.sleep(for: .milliseconds(400))
            // The second holds a long lease: on a machine stalled by the whole suite, a short one
            // could run out before the listing below.
            let lasting = ClusterDirectory(database: sql, lease: .seconds(30))
            let second = try await lasting.register(NodeAnnouncement(
                nodeID: "node-z", publicURL: "http://127.0.0.1:9092", mediaAddresses: [], mediaPorts: [], httpPort: 9092))
            #expect(try await other.heartbeat(first, load: NodeLoad(rooms: 9), draining: false) == false)
            #expect(try await lasting.heartbeat(second, load: NodeLoad(rooms: 1), draining: false) == true)
            let nodeZ = try await directory(of: a).liveNodes().first { $0.id == "node-z" }
            #expect(nodeZ?.publicURL == "http://127.0.0.1:9092")
            #expect(nodeZ?.load.rooms == 1)
        }
    }

    @Test func aNodeWhoseRowWasDeletedRegistersAgain() async throws {
        try await WebTestApp.run(cluster: try WebTestApp.clusterNode("node-a")) { a in
            let sql = try #require(a.app.db as? any SQLDatabase)
            try await sql.raw("DELETE FROM cluster_nodes").run()
            let back = try await waitUntil(seconds: 2) {
                try await directory(of: a).liveNodes().map(\.id) == ["node-a"]
            }
            #expect(back != nil)
        }
    }

    @Test func metricsCountTheLiveNodes() async throws {
        try await twoNodes { a, _ in
            let counted = try await waitUntil(seconds: 2) {
                var text = ""
                try await a.app.testing().test(.GET, "metrics") { res async in text = res.body.string }
                return MetricsControllerTests.sample("relay_cluster_nodes", in: text) == 2
            }
            #expect(counted != nil, "relay_cluster_nodes is 2")
        }
    }
}
