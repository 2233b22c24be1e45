import DTLS
import Foundation
import Relay
import Synchronization
import Testing
@testable import Web

/// A room across two nodes, without a database: node-a, the room's node, carries one
/// participant's media (its budget); the next has its media on node-b, which node-a drives over
/// the node channel (here a mailbox, every message through its JSON), and each track crosses a
/// relay link between the two nodes' workers once.
@Suite(.serialized) struct RoomAcrossNodesTests {
    /// The messages one node sent the other, in order, as the other decodes them.
    final class Mailbox: Sendable {
        private let messages = Mutex<[NodeMessage]>([])

        func post(from: String, to: String, _ body: NodeMessage.Body) {
            let decoded = (NodeMessage.payloads(from: from, to: to, body) ?? []).compactMap(NodeMessage.decode)
            messages.withLock { $0 += decoded }
        }

        func take() -> [NodeMessage] {
            messages.withLock { messages in
                defer { messages.removeAll() }
                return messages
            }
        }
    }

    struct Nodes {
        let a: RoomRegistry
        let b: RoomRegistry
        let mediaA: MediaPlane
        let mediaB: MediaPlane
        let toB: Mailbox
        let toA: Mailbox

        /// Hands each node what the other sent it, until neither has more.
        func deliver() async {
            while true {
                let forB = toB.take()
                let forA = toA.take()
                if forB.isEmpty && forA.isEmpty { return }
                for message in forB { await b.receive(message) }
                for message in forA { await a.receive(message) }
            }
        }

        func stop() {
            mediaA.stop()
            mediaB.stop()
        }
    }

    static func directoryEntry(_ id: String, media: MediaPlane) -> ClusterNode {
        ClusterNode(
            id: id, publicURL: "http://\(id):8080", mediaAddresses: media.announcedAddresses,
            mediaPorts: media.workers.map { Int($0.port) }, httpPort: 8080, startedAt: Date(), heartbeatAt: Date(),
            leaseRemaining: 8, load: NodeLoad(rooms: 0, participants: 0, packetsPerSecond: 0, cpu: 0), draining: false,
            mediaFingerprint: media.fingerprint.sdpValue)
    }

    /// node-a (with `workersA` workers, its rooms spread past `spreadRoomsAbove`, and `budgetA`)
    /// and node-b (one worker, budget 1).
    static func makeNodes(workersA: Int = 1, spreadRoomsAbove: Int = 8, budgetA: Int = 1) async throws -> Nodes {
        func plane(_ workers: Int) throws -> MediaPlane {
            try MediaPlane(configuration: MediaPlaneConfiguration(
                workers: workers, firstPort: 0, listenAddress: 0x7F00_0001, announcedAddresses: ["127.0.0.1"]))
        }
        let mediaA = try plane(workersA)
        let mediaB = try plane(1)
        mediaA.start()
        mediaB.start()
        let a = RoomRegistry(configuration: SignalingConfiguration(spreadRoomsAbove: spreadRoomsAbove), media: mediaA)
        let b = RoomRegistry(media: mediaB)
        let toB = Mailbox()
        let toA = Mailbox()
        await a.useSpan(ClusterSpan(
            nodeID: "node-a", publicURL: "http://node-a:8080", send: { node, body in (node == "node-b" ? toB : toA).post(from: "node-a", to: node, body) },
            participantBudget: budgetA))
        await b.useSpan(ClusterSpan(
            nodeID: "node-b", publicURL: "http://node-b:8080", send: { node, body in (node == "node-a" ? toA : toB).post(from: "node-b", to: node, body) },
            participantBudget: 1))
        let entries = [directoryEntry("node-a", media: mediaA), directoryEntry("node-b", media: mediaB)]
        await a.spanNodesChanged(entries)
        await b.spanNodesChanged(entries)
        return Nodes(a: a, b: b, mediaA: mediaA, mediaB: mediaB, toB: toB, toA: toA)
    }

    @Test func theNewcomerPastTheBudgetHasItsMediaOnTheOtherNodeAndTheTracksCrossOnce() async throws {
        let nodes = try await Self.makeNodes()
        defer { nodes.stop() }
        let ada = RecordingConnection()
        let bo = RecordingConnection()
        await nodes.a.handle(.join(.init(room: "wide", name: "Ada", mode: .sfu)), from: ada)
        await nodes.a.handle(.join(.init(room: "wide", name: "Bo", mode: .sfu)), from: bo)
        await nodes.a.handle(.publish(sdp: try SfuSignalingTests.fixture("chrome-offer")), from: ada)
        #expect(SfuSignalingTests.errors(ada).isEmpty)

        // Bo's connection goes to node-b's worker: its candidates and its certificate.
        let offer = try #require(SfuSignalingTests.offers(bo).last)
        #expect(try SpreadRoomTests.ports(in: offer.sdp) == [nodes.mediaB.workers[0].port])
        #expect(offer.sdp.contains(nodes.mediaB.fingerprint.hexDigest))
        #expect(!offer.sdp.contains(nodes.mediaA.fingerprint.hexDigest))
        await nodes.a.handle(.answer(sdp: try SfuSignalingTests.answer(to: offer.sdp)), from: bo)
        #expect(SfuSignalingTests.errors(bo).isEmpty)
        await nodes.deliver()

        let a = await nodes.mediaA.workers[0].statistics()
        let b = await nodes.mediaB.workers[0].statistics()
        #expect(a.links == 1 && a.tracks == 2 && a.transports == 1, "Ada's two tracks, sent over one link")
        #expect(b.links == 1 && b.linkedTracks == 2 && b.tracks == 0, "each of Ada's tracks arrives once")
        #expect(b.transports == 1 && b.subscriptions == 2, "Bo's subscribe connection and subscriptions, on node-b")
        #expect(await nodes.b.hosted.participants == 1)
        #expect(await nodes.b.loadParticipantCount == 1)

        // Bo leaves: node-b closes what it held for him, and the link at both ends.
        await nodes.a.handle(.leave, from: bo)
        await nodes.deliver()
        let afterA = await nodes.mediaA.workers[0].statistics()
        let afterB = await nodes.mediaB.workers[0].statistics()
        #expect(afterA.links == 0 && afterA.tracks == 2)
        #expect(afterB.links == 0 && afterB.linkedTracks == 0 && afterB.transports == 0)
        #expect(await nodes.b.hosted.participants == 0)
    }

    @Test func whenTheMediaNodeIsGoneItsParticipantsAreSentBackAndItsMediaClosed() async throws {
        let nodes = try await Self.makeNodes()
        defer { nodes.stop() }
        let ada = RecordingConnection()
        let bo = RecordingConnection()
        await nodes.a.handle(.join(.init(room: "wide", name: "Ada", mode: .sfu)), from: ada)
        await nodes.a.handle(.join(.init(room: "wide", name: "Bo", mode: .sfu)), from: bo)
        await nodes.a.handle(.publish(sdp: try SfuSignalingTests.fixture("chrome-offer")), from: ada)
        let offer = try #require(SfuSignalingTests.offers(bo).last)
        await nodes.a.handle(.answer(sdp: try SfuSignalingTests.answer(to: offer.sdp)), from: bo)
        await nodes.deliver()
        #expect(await nodes.mediaB.workers[0].statistics().transports == 1)

        // node-b is gone for node-a: Bo goes back to the room's node to be placed anew.
        await nodes.a.spanNodesChanged([Self.directoryEntry("node-a", media: nodes.mediaA)])
        #expect(bo.messages.last == .moved(room: "wide", node: "node-a", url: "http://node-a:8080"))
        #expect(!ada.messages.contains { if case .moved = $0 { true } else { false } })
        // node-a is gone for node-b: what it carried for node-a closes.
        await nodes.b.spanNodesChanged([Self.directoryEntry("node-b", media: nodes.mediaB)])
        #expect(await nodes.mediaB.workers[0].statistics().transports == 0)
        #expect(await nodes.b.hosted.participants == 0)
    }

    @Test func aTrackFromAnotherNodeCrossesOnceForEveryWorkerHere() async throws {
        // Ada and Bo on node-a's two workers, Cy past its budget of two on node-b.
        let nodes = try await Self.makeNodes(workersA: 2, spreadRoomsAbove: 1, budgetA: 2)
        defer { nodes.stop() }
        let connections = ["Ada", "Bo", "Cy"].map { _ in RecordingConnection() }
        for (name, connection) in zip(["Ada", "Bo", "Cy"], connections) {
            await nodes.a.handle(.join(.init(room: "wide", name: name, mode: .sfu)), from: connection)
        }
        await nodes.a.handle(.publish(sdp: try SfuSignalingTests.fixture("chrome-offer")), from: connections[2])
        #expect(SfuSignalingTests.errors(connections[2]).isEmpty)
        for connection in connections.prefix(2) {
            let offer = try #require(SfuSignalingTests.offers(connection).last)
            await nodes.a.handle(.answer(sdp: try SfuSignalingTests.answer(to: offer.sdp)), from: connection)
        }
        await nodes.deliver()
        let first = await nodes.mediaA.workers[0].statistics()
        let second = await nodes.mediaA.workers[1].statistics()
        #expect(first.links == 1 && first.linkedTracks == 2 && first.subscriptions == 2, "Cy's tracks cross to one worker")
        #expect(second.links == 0 && second.mirroredTracks == 2 && second.subscriptions == 2, "and reach the other through a pipe")
        #expect(await nodes.mediaB.workers[0].statistics().links == 1)

        // Ada leaves: her worker goes on passing the tracks to Bo's.
        await nodes.a.handle(.leave, from: connections[0])
        await nodes.deliver()
        #expect(await nodes.mediaA.workers[0].statistics().linkedTracks == 2)
        #expect(await nodes.mediaA.workers[1].statistics().mirroredTracks == 2)
        // Bo too: nothing crosses any more.
        await nodes.a.handle(.leave, from: connections[1])
        await nodes.deliver()
        #expect(await nodes.mediaA.workers[0].statistics().links == 0)
        #expect(await nodes.mediaA.workers[1].statistics().mirroredTracks == 0)
        #expect(await nodes.mediaB.workers[0].statistics().links == 0)
    }

    @Test func withinTheBudgetNothingCrosses() async throws {
        let nodes = try await Self.makeNodes()
        defer { nodes.stop() }
        let ada = RecordingConnection()
        await nodes.a.handle(.join(.init(room: "small", name: "Ada", mode: .sfu)), from: ada)
        await nodes.a.handle(.publish(sdp: try SfuSignalingTests.fixture("chrome-offer")), from: ada)
        #expect(nodes.toB.take().isEmpty)
        #expect(await nodes.mediaA.workers[0].statistics().tracks == 2)
    }
}
