import Relay
import Testing
@testable import Web

/// Auto rooms: direct for two, through the relay from the third, direct again at two, and
/// direct for good when a participant cannot reach the relay. A real media plane on loopback.
@Suite(.serialized) struct RoomModeTests {
    static func makeRegistry(_ configuration: SignalingConfiguration = SignalingConfiguration()) throws -> (RoomRegistry, MediaPlane) {
        let media = try MediaPlane(configuration: MediaPlaneConfiguration(
            workers: 1, firstPort: 0, listenAddress: 0x7F00_0001, announcedAddresses: ["127.0.0.1"]))
        media.start()
        return (RoomRegistry(configuration: configuration, media: media), media)
    }

    static func joinedMode(_ connection: RecordingConnection) -> CallMode? {
        for case .joined(_, _, let mode, _, _, _) in connection.messages { return mode }
        return nil
    }

    static func modes(_ connection: RecordingConnection) -> [ServerMessage] {
        connection.messages.filter { if case .mode = $0 { true } else { false } }
    }

    static func answered(_ connection: RecordingConnection) -> Bool {
        connection.messages.contains { if case .answer = $0 { true } else { false } }
    }

    static func join(_ registry: RoomRegistry, _ name: String, room: String = "r", mode: CallMode = .auto) async -> RecordingConnection {
        let connection = RecordingConnection()
        await registry.handle(.join(JoinRequest(room: room, name: name, mode: mode)), from: connection)
        return connection
    }

    @Test func anAutoRoomUsesTheRelayFromTheThirdAndGoesDirectAgainAtTwo() async throws {
        let (registry, media) = try Self.makeRegistry()
        defer { media.stop() }
        let ada = await Self.join(registry, "Ada")
        let bo = await Self.join(registry, "Bo")
        #expect(Self.joinedMode(ada) == .p2p && Self.joinedMode(bo) == .p2p)
        await registry.handle(.publish(sdp: try SfuSignalingTests.fixture("chrome-offer")), from: ada)
        #expect(ada.messages.last == .error(.notAvailable("publishing outside an sfu room")))

        let cy = await Self.join(registry, "Cy")
        let cyID = try #require(cy.joinedID)
        #expect(Self.joinedMode(cy) == .sfu)
        for connection in [ada, bo] {
            let tail = Array(connection.messages.suffix(2))
            #expect(tail.first == .mode(.sfu, reason: .grew), "the new mode comes before the newcomer")
            #expect(tail.last.map { if case .peerJoined(let peer) = $0 { peer.id == cyID } else { false } } == true)
        }
        #expect(await registry.mode(of: "r") == .sfu)
        for connection in [ada, bo, cy] {
            await registry.handle(.publish(sdp: try SfuSignalingTests.fixture("chrome-offer")), from: connection)
            #expect(Self.answered(connection), "every member, old and new, can publish to the relay")
        }
        #expect(await media.statistics().transports == 3)

        await registry.handle(.leave, from: cy)
        for connection in [ada, bo] {
            #expect(connection.messages.last == .mode(.p2p, reason: .shrank))
            #expect(connection.messages.dropLast().last == .peerLeft(id: cyID))
        }
        #expect(await registry.mode(of: "r") == .p2p)
        #expect(await media.statistics().transports == 0, "the relay keeps nothing of a direct room")
        let offersAfterLeave = ada.messages.suffix(2).filter { if case .offer = $0 { true } else { false } }
        #expect(offersAfterLeave.isEmpty, "no subscribe offer to a room that leaves the relay")
    }

    @Test func withoutTheReturnAnAutoRoomStaysOnTheRelay() async throws {
        let (registry, media) = try Self.makeRegistry(SignalingConfiguration(returnsToP2P: false))
        defer { media.stop() }
        let ada = await Self.join(registry, "Ada")
        _ = await Self.join(registry, "Bo")
        let cy = await Self.join(registry, "Cy")
        await registry.handle(.leave, from: cy)
        #expect(await registry.mode(of: "r") == .sfu)
        #expect(Self.modes(ada) == [.mode(.sfu, reason: .grew)])
    }

    @Test func aParticipantWhoCannotReachTheRelayTakesTheRoomDirectForGood() async throws {
        let (registry, media) = try Self.makeRegistry(SignalingConfiguration(meshMaximum: 4))
        defer { media.stop() }
        let ada = await Self.join(registry, "Ada")
        let bo = await Self.join(registry, "Bo")
        let cy = await Self.join(registry, "Cy")
        await registry.handle(.publish(sdp: try SfuSignalingTests.fixture("chrome-offer")), from: ada)

        await registry.handle(.mediaFailed, from: bo)
        for connection in [ada, bo, cy] {
            #expect(Self.modes(connection).last == .mode(.p2p, reason: .relayUnreachable))
            guard case .room(let state)? = connection.messages.last else {
                Issue.record("no room state after the fallback: \(connection.messages)")
                continue
            }
            #expect(state.capacity == 4, "a direct room is capped at the mesh size")
        }
        #expect(await media.statistics().transports == 0)

        await registry.handle(.mediaFailed, from: cy)
        #expect(!cy.messages.contains { if case .error = $0 { true } else { false } }, "a late report is no error")

        let dee = await Self.join(registry, "Dee")
        #expect(Self.joinedMode(dee) == .p2p, "a fourth joins a direct room")
        let eve = await Self.join(registry, "Eve")
        #expect(eve.messages == [.error(.roomFull(limit: 4))])
        await registry.handle(.leave, from: dee)
        await registry.handle(.leave, from: cy)
        let fresh = await Self.join(registry, "Fay")
        #expect(Self.joinedMode(fresh) == .p2p, "the room stays direct at three")
    }

    @Test func noFallbackPastTheMeshCapOrOutsideAnAutoRoom() async throws {
        let (registry, media) = try Self.makeRegistry(SignalingConfiguration(meshMaximum: 2))
        defer { media.stop() }
        let ada = await Self.join(registry, "Ada")
        _ = await Self.join(registry, "Bo")
        _ = await Self.join(registry, "Cy")
        await registry.handle(.mediaFailed, from: ada)
        #expect(ada.messages.last == .error(.notAvailable("falling back to p2p with more than 2 participants")))
        #expect(await registry.mode(of: "r") == .sfu)

        let relayed = await Self.join(registry, "Dee", room: "relayed", mode: .sfu)
        await registry.handle(.mediaFailed, from: relayed)
        #expect(relayed.messages.last == .error(.notAvailable("falling back to p2p outside an auto room")))
    }

    @Test func p2pRoomsAreCappedAtTheMeshSizeAndNeverUseTheRelay() async throws {
        let (registry, media) = try Self.makeRegistry(SignalingConfiguration(meshMaximum: 3))
        defer { media.stop() }
        var connections: [RecordingConnection] = []
        for name in ["Ada", "Bo", "Cy", "Dee"] { connections.append(await Self.join(registry, name, mode: .p2p)) }
        #expect(connections.prefix(3).allSatisfy { Self.joinedMode($0) == .p2p })
        #expect(connections[3].messages == [.error(.roomFull(limit: 3))])
        #expect(connections.allSatisfy { Self.modes($0).isEmpty })
    }

    @Test func withoutARelayAnAutoRoomStaysDirect() async throws {
        let registry = RoomRegistry(configuration: SignalingConfiguration(meshMaximum: 3))
        var connections: [RecordingConnection] = []
        for name in ["Ada", "Bo", "Cy", "Dee"] { connections.append(await Self.join(registry, name)) }
        #expect(connections.prefix(3).allSatisfy { Self.joinedMode($0) == .p2p })
        #expect(connections[3].messages == [.error(.roomFull(limit: 3))])
    }

    /// `relay serve --no-media`: an sfu room is refused at its first join, rather than joined
    /// and then refused at every publish.
    @Test func withoutARelayAnSfuRoomIsRefused() async throws {
        let registry = RoomRegistry()
        let ada = await Self.join(registry, "Ada", mode: .sfu)
        #expect(ada.messages == [.error(.notAvailable("the media relay (sfu mode)"))])
        #expect(await registry.roomCount == 0)
        let bo = await Self.join(registry, "Bo", mode: .p2p)
        #expect(Self.joinedMode(bo) == .p2p, "the server still serves direct calls")
    }
}
