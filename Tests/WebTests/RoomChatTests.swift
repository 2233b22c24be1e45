import Testing
@testable import Web

/// Chat kept per room and replayed to whoever joins, and mute state shown to the others.
@Suite struct RoomChatTests {
    static func history(_ connection: RecordingConnection) -> [CallChatMessage]? {
        for case .joined(_, _, _, _, _, let history) in connection.messages { return history }
        return nil
    }

    @Test func aLateJoinerGetsTheLastHundredMessagesOfItsRoomOnly() async throws {
        let registry = RoomRegistry()
        let ada = RecordingConnection()
        let other = RecordingConnection()
        await registry.handle(.join(JoinRequest(room: "r", name: "Ada")), from: ada)
        await registry.handle(.join(JoinRequest(room: "elsewhere", name: "Oz")), from: other)
        for index in 0..<105 { await registry.handle(.chat(text: "message \(index)", id: "m\(index)"), from: ada) }
        await registry.handle(.chat(text: "not here", id: nil), from: other)

        let late = RecordingConnection()
        await registry.handle(.join(JoinRequest(room: "r", name: "Bo")), from: late)
        let replayed = try #require(Self.history(late))
        #expect(replayed.map(\.text) == (5..<105).map { "message \($0)" })
        #expect(replayed.allSatisfy { $0.name == "Ada" && $0.from == ada.joinedID })
        #expect(Self.history(ada) == [], "a new room has no history")
    }

    @Test func historyOutlivesAnEmptyRoom() async throws {
        let registry = RoomRegistry()
        let ada = RecordingConnection()
        await registry.handle(.join(JoinRequest(room: "r", name: "Ada")), from: ada)
        await registry.handle(.chat(text: "see you", id: nil), from: ada)
        await registry.handle(.leave, from: ada)
        #expect(await registry.roomCount == 0)
        let bo = RecordingConnection()
        await registry.handle(.join(JoinRequest(room: "r", name: "Bo")), from: bo)
        #expect(Self.history(bo)?.map(\.text) == ["see you"])
    }

    @Test func muteStateReachesTheOthersAndLateJoiners() async throws {
        let registry = RoomRegistry()
        let ada = RecordingConnection()
        let bo = RecordingConnection()
        await registry.handle(.join(JoinRequest(room: "r", name: "Ada")), from: ada)
        await registry.handle(.join(JoinRequest(room: "r", name: "Bo")), from: bo)
        let adaID = try #require(ada.joinedID)
        let muted = MediaState(audio: false, video: true, screen: true)
        let sentBefore = ada.messages.count
        await registry.handle(.mediaState(muted), from: ada)
        #expect(bo.messages.last == .mediaState(id: adaID, muted))
        #expect(ada.messages.count == sentBefore, "not echoed to the sender")

        let cy = RecordingConnection()
        await registry.handle(.join(JoinRequest(room: "r", name: "Cy")), from: cy)
        guard case .joined(_, _, _, let peers, _, _)? = cy.messages.first else {
            Issue.record("Cy did not join")
            return
        }
        #expect(peers.first == ServerMessage.Peer(id: adaID, name: "Ada", media: muted))
    }
}
