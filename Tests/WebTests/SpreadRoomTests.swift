import Foundation
import Relay
import SDP
import Testing
@testable import Web

/// A room bigger than `spreadRoomsAbove` on a media plane of two workers: the newcomers past it
/// go to the less loaded worker, and each track reaches that worker once, for as long as
/// someone there is offered it.
@Suite(.serialized) struct SpreadRoomTests {
    static func makeRegistry() throws -> (RoomRegistry, MediaPlane) {
        let media = try MediaPlane(configuration: MediaPlaneConfiguration(
            workers: 2, firstPort: 0, listenAddress: 0x7F00_0001, announcedAddresses: ["127.0.0.1"]))
        media.start()
        return (RoomRegistry(configuration: SignalingConfiguration(spreadRoomsAbove: 2), media: media), media)
    }

    static func ports(in sdp: String) throws -> Set<UInt16> {
        let sections = try SessionDescription(parsing: sdp).media
        return Set(sections.flatMap { $0.attributes.values("candidate") }.compactMap { candidate in
            candidate.split(separator: " ").dropFirst(5).first.flatMap { UInt16($0) }
        })
    }

    @Test func participantsPastTheThresholdGoToTheOtherWorkerAndTheTracksFollowThem() async throws {
        let (registry, media) = try Self.makeRegistry()
        defer { media.stop() }
        let names = ["Ada", "Bo", "Cy", "Dee"]
        let connections = names.map { _ in RecordingConnection() }
        for (name, connection) in zip(names, connections) {
            await registry.handle(.join(.init(room: "big", name: name, mode: .sfu)), from: connection)
        }
        await registry.handle(.publish(sdp: try SfuSignalingTests.fixture("chrome-offer")), from: connections[0])
        #expect(SfuSignalingTests.errors(connections[0]).isEmpty)

        // Ada and Bo on the room's worker; Cy and Dee past the threshold, on the other.
        let roomWorker = media.workers[0].port
        let other = media.workers[1].port
        for (index, connection) in connections.enumerated().dropFirst() {
            let offer = try #require(SfuSignalingTests.offers(connection).first)
            #expect(try Self.ports(in: offer.sdp) == [index < 2 ? roomWorker : other], "\(names[index])'s candidates")
            await registry.handle(.answer(sdp: try SfuSignalingTests.answer(to: offer.sdp)), from: connection)
            #expect(SfuSignalingTests.errors(connection).isEmpty)
        }
        let tracks = await registry.ownerByTrack.keys.sorted { $0.value < $1.value }
        #expect(tracks.count == 2)
        for track in tracks {
            let mirrors = await registry.mirrorsByTrack[track]
            #expect(mirrors?.origin == .here(0) && mirrors?.consumers == [.here(1)], "each of Ada's tracks copied to the other worker once")
        }
        let first = await media.workers[0].statistics()
        let second = await media.workers[1].statistics()
        #expect(first.tracks == 2 && first.mirroredTracks == 0 && first.subscriptions == 2, "Bo's two")
        #expect(second.tracks == 0 && second.mirroredTracks == 2 && second.subscriptions == 4, "Cy's and Dee's")

        // The worker keeps the copies while one of its participants is offered them.
        await registry.handle(.leave, from: connections[2])
        #expect(await media.workers[1].statistics().mirroredTracks == 2)
        await registry.handle(.leave, from: connections[3])
        #expect(await media.workers[1].statistics().mirroredTracks == 0)
        #expect(await registry.mirrorsByTrack.isEmpty)
        #expect(await media.workers[0].statistics().subscriptions == 2)
    }

    @Test func thePublishersDepartureRemovesItsMirrorsEverywhere() async throws {
        let (registry, media) = try Self.makeRegistry()
        defer { media.stop() }
        let connections = (0..<3).map { _ in RecordingConnection() }
        for (index, connection) in connections.enumerated() {
            await registry.handle(.join(.init(room: "big", name: "P\(index)", mode: .sfu)), from: connection)
        }
        await registry.handle(.publish(sdp: try SfuSignalingTests.fixture("chrome-offer")), from: connections[0])
        let offer = try #require(SfuSignalingTests.offers(connections[2]).first)
        await registry.handle(.answer(sdp: try SfuSignalingTests.answer(to: offer.sdp)), from: connections[2])
        #expect(await media.workers[1].statistics().mirroredTracks == 2)

        await registry.handle(.leave, from: connections[0])
        #expect(await registry.mirrorsByTrack.isEmpty)
        let second = await media.workers[1].statistics()
        #expect(second.mirroredTracks == 0 && second.subscriptions == 0)
        #expect(await media.workers[0].statistics().tracks == 0)
    }

    @Test func aNewRoomGoesToTheWorkerWithTheFewestParticipants() async throws {
        let (registry, media) = try Self.makeRegistry()
        defer { media.stop() }
        func publishPort(room: String, mode: CallMode) async throws -> Set<UInt16>? {
            let connection = RecordingConnection()
            await registry.handle(.join(.init(room: room, name: room, mode: mode)), from: connection)
            guard mode == .sfu else { return nil }
            await registry.handle(.publish(sdp: try SfuSignalingTests.fixture("chrome-offer")), from: connection)
            let answer = try #require(connection.messages.compactMap { if case .answer(let sdp) = $0 { sdp } else { nil } }.first)
            return try Self.ports(in: answer)
        }
        // Direct rooms take a worker but put no media on it.
        _ = try await publishPort(room: "direct-1", mode: .p2p)
        #expect(try await publishPort(room: "relayed-1", mode: .sfu) == [media.workers[1].port], "the worker with no room")
        _ = try await publishPort(room: "direct-2", mode: .p2p)
        // Two rooms and no participant on the first worker, one room and one on the second.
        #expect(try await publishPort(room: "relayed-2", mode: .sfu) == [media.workers[0].port], "the worker with no participant")
    }

    @Test func aSmallRoomStaysOnOneWorkerAndCopiesNothing() async throws {
        let (registry, media) = try Self.makeRegistry()
        defer { media.stop() }
        let connections = (0..<2).map { _ in RecordingConnection() }
        for (index, connection) in connections.enumerated() {
            await registry.handle(.join(.init(room: "small", name: "P\(index)", mode: .sfu)), from: connection)
        }
        await registry.handle(.publish(sdp: try SfuSignalingTests.fixture("chrome-offer")), from: connections[0])
        let offer = try #require(SfuSignalingTests.offers(connections[1]).first)
        #expect(try Self.ports(in: offer.sdp) == [media.workers[0].port])
        #expect(await registry.mirrorsByTrack.isEmpty)
        #expect(await media.workers[1].statistics().mirroredTracks == 0)
    }
}
