import Testing
@testable import Web

@Suite struct InMemoryChatHistoryTests {
    static func message(_ index: Int) -> CallChatMessage {
        CallChatMessage(id: "m\(index)", from: "p", name: "P", text: "text \(index)", ts: Int64(index))
    }

    static func generation(_ room: String, _ id: String = "g1") -> ChatRoomGeneration {
        ChatRoomGeneration(room: room, id: id)
    }

    @Test func keepsTheLastMessagesOfEachRoomOldestFirst() async {
        let history = InMemoryChatHistory(messagesPerRoom: 100)
        for index in 0..<105 { await history.append(Self.message(index), in: Self.generation("a"), isPublic: true) }
        await history.append(Self.message(1000), in: Self.generation("b"), isPublic: true)
        let kept = await history.recent(in: Self.generation("a"), includingPublic: false, limit: 100)
        #expect(kept.map(\.id) == (5..<105).map { "m\($0)" })
        #expect(await history.recent(in: Self.generation("a"), includingPublic: false, limit: 2).map(\.id) == ["m103", "m104"])
        #expect(await history.recent(in: Self.generation("b"), includingPublic: false, limit: 100).map(\.id) == ["m1000"])
        #expect(await history.recent(in: Self.generation("c"), includingPublic: true, limit: 100).isEmpty)
    }

    @Test func forgetsTheRoomsThatSpokeLeastRecently() async {
        let history = InMemoryChatHistory(messagesPerRoom: 10, maximumRooms: 2)
        await history.append(Self.message(1), in: Self.generation("a"), isPublic: true)
        await history.append(Self.message(2), in: Self.generation("b"), isPublic: true)
        await history.append(Self.message(3), in: Self.generation("a"), isPublic: true)
        await history.append(Self.message(4), in: Self.generation("c"), isPublic: true)
        #expect(await history.recent(in: Self.generation("b"), includingPublic: true, limit: 10).isEmpty, "b spoke least recently")
        #expect(await history.recent(in: Self.generation("a"), includingPublic: true, limit: 10).count == 2)
        #expect(await history.recent(in: Self.generation("c"), includingPublic: true, limit: 10).count == 1)
    }

    @Test func aGenerationSeesItsOwnMessagesAndOnlyThePublicOnesOfOthers() async {
        let history = InMemoryChatHistory()
        await history.append(Self.message(1), in: Self.generation("r", "old"), isPublic: true)
        await history.append(Self.message(2), in: Self.generation("r", "old"), isPublic: false)
        await history.append(Self.message(3), in: Self.generation("r", "new"), isPublic: false)
        #expect(await history.recent(in: Self.generation("r", "new"), includingPublic: true, limit: 10).map(\.id) == ["m1", "m3"])
        #expect(await history.recent(in: Self.generation("r", "new"), includingPublic: false, limit: 10).map(\.id) == ["m3"])
        #expect(await history.recent(in: Self.generation("r", "old"), includingPublic: false, limit: 10).map(\.id) == ["m1", "m2"])

        await history.end(Self.generation("r", "old"))
        #expect(await history.recent(in: Self.generation("r", "old"), includingPublic: false, limit: 10).map(\.id) == ["m1"], "the private message is gone")
        await history.end(Self.generation("r", "new"))
        #expect(await history.recent(in: Self.generation("r", "next"), includingPublic: true, limit: 10).map(\.id) == ["m1"])
    }
}
