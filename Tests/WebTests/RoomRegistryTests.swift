import Foundation
import Synchronization
import Testing
@testable import Web

/// A connection that keeps what the server sent it.
final class RecordingConnection: SignalingConnection {
    private let sent = Mutex<[ServerMessage]>([])

    func send(_ message: ServerMessage) {
        sent.withLock { $0.append(message) }
    }

    var messages: [ServerMessage] { sent.withLock { $0 } }

    func takeAll() -> [ServerMessage] {
        sent.withLock { messages in
            defer { messages.removeAll() }
            return messages
        }
    }

    var joinedID: String? {
        for case .joined(let id, _, _, _, _, _) in messages { return id }
        return nil
    }
}

@Suite struct RoomRegistryTests {
    @Test func joiningTellsThePeersBothWays() async throws {
        let registry = RoomRegistry()
        let ada = RecordingConnection()
        let bo = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Ada", mode: .p2p)), from: ada)
        await registry.handle(.join(.init(room: "r", name: "Bo", mode: .auto)), from: bo)

        let adaID = try #require(ada.joinedID)
        let boID = try #require(bo.joinedID)
        guard case .joined(_, "r", let mode, let peers, _, _)? = bo.messages.first else {
            Issue.record("Bo was not told he joined")
            return
        }
        #expect(mode == .p2p, "the room keeps the mode of its first participant")
        #expect(peers == [.init(id: adaID, name: "Ada")])
        #expect(ada.messages.last == .peerJoined(.init(id: boID, name: "Bo", media: MediaState())))
        #expect(await registry.members(of: "r") == ["Ada", "Bo"])
    }

    @Test func chatReachesEveryoneInTheRoomAndNoOneElse() async throws {
        let registry = RoomRegistry()
        let ada = RecordingConnection()
        let bo = RecordingConnection()
        let stranger = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Ada", mode: .p2p)), from: ada)
        await registry.handle(.join(.init(room: "r", name: "Bo", mode: .p2p)), from: bo)
        await registry.handle(.join(.init(room: "other", name: "Cy", mode: .p2p)), from: stranger)
        let adaID = try #require(ada.joinedID)
        _ = ada.takeAll()
        _ = bo.takeAll()
        _ = stranger.takeAll()

        await registry.handle(.chat(text: "<script>hi</script>", id: "m1"), from: ada)
        for connection in [ada, bo] {
            guard case .chat(let message)? = connection.messages.last else {
                Issue.record("chat not delivered: \(connection.messages)")
                continue
            }
            #expect(message.id == "m1" && message.from == adaID && message.name == "Ada" && message.text == "<script>hi</script>")
            #expect(message.ts > 1_700_000_000_000)
        }
        #expect(stranger.messages.isEmpty)
    }

    @Test func signalGoesOnlyToAPeerOfTheSameRoom() async throws {
        let registry = RoomRegistry()
        let ada = RecordingConnection()
        let bo = RecordingConnection()
        let stranger = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Ada", mode: .p2p)), from: ada)
        await registry.handle(.join(.init(room: "r", name: "Bo", mode: .p2p)), from: bo)
        await registry.handle(.join(.init(room: "elsewhere", name: "Cy", mode: .p2p)), from: stranger)
        let adaID = try #require(ada.joinedID)
        let boID = try #require(bo.joinedID)
        let strangerID = try #require(stranger.joinedID)

        await registry.handle(.signal(to: boID, data: .string("offer")), from: ada)
        #expect(bo.messages.last == .signal(from: adaID, data: .string("offer")))

        await registry.handle(.signal(to: strangerID, data: .string("offer")), from: ada)
        #expect(ada.messages.last == .error(.unknownPeer(strangerID)))
        #expect(!stranger.messages.contains(.signal(from: adaID, data: .string("offer"))))
    }

    @Test func requestsBeforeJoiningAreRefused() async {
        let registry = RoomRegistry()
        let connection = RecordingConnection()
        await registry.handle(.chat(text: "hi", id: nil), from: connection)
        await registry.handle(.leave, from: connection)
        #expect(connection.messages == [.error(.notJoined), .error(.notJoined)])
        await registry.handle(.join(.init(room: "r", name: "A", mode: .p2p)), from: connection)
        await registry.handle(.join(.init(room: "r", name: "A", mode: .p2p)), from: connection)
        #expect(connection.messages.last == .error(.alreadyJoined))
    }

    @Test func leavingOrVanishingTellsTheOthersAndEmptiesTheRoom() async throws {
        let registry = RoomRegistry()
        let ada = RecordingConnection()
        let bo = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Ada", mode: .p2p)), from: ada)
        await registry.handle(.join(.init(room: "r", name: "Bo", mode: .p2p)), from: bo)
        let boID = try #require(bo.joinedID)
        await registry.handle(.leave, from: bo)
        #expect(ada.messages.last == .peerLeft(id: boID))
        await registry.disconnected(ada)
        #expect(await registry.roomCount == 0)
    }

    @Test func roomsHaveACap() async {
        let registry = RoomRegistry(configuration: SignalingConfiguration(maximumParticipants: 2))
        let connections = (0..<3).map { _ in RecordingConnection() }
        for (index, connection) in connections.enumerated() {
            await registry.handle(.join(.init(room: "r", name: "p\(index)", mode: .p2p)), from: connection)
        }
        #expect(connections[2].messages == [.error(.roomFull(limit: 2))])
    }
}
