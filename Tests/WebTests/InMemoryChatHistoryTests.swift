import Testing
@testable import Web

@Suite struct InMemoryChatHistoryTests {
    static func message(_ index: Int) -> CallChatMessage {
        CallChatMessage(id: "m\(index)", from: "p", name: "P", text: "text \(index)", ts: Int64(index))
    }

    @Test func keepsTheLastMessagesOfEachRoomOldestFirst() async {
        let history = InMemoryChatHistory(messagesPerRoom: 100)
        for index in 0..<105 { await history.append(Self.message(index), room: "a") }
        await history.append(Self.message(1000), room: "b")
        let kept = await history.recent(room: "a", limit: 100)
        #expect(kept.map(\.id) == (5..<105).map { "m\($0)" })
        #expect(await history.recent(room: "a", limit: 2).map(\.id) == ["m103", "m104"])
        #expect(await history.recent(room: "b", limit: 100).map(\.id) == ["m1000"])
        #expect(await history.recent(room: "c", limit: 100).isEmpty)
    }

    @Test func forgetsTheRoomsThatSpokeLeastRecently() async {
        let history = InMemoryChatHistory(messagesPerRoom: 10, maximumRooms: 2)
        await history.append(Self.message(1), room: "a")
        await history.append(Self.message(2), room: "b")
        await history.append(Self.message(3), room: "a")
        await history.append(Self.message(4), room: "c")
        #expect(await history.recent(room: "b", limit: 10).isEmpty, "b spoke least recently")
        #expect(await history.recent(room: "a", limit: 10).count == 2)
        #expect(await history.recent(room: "c", limit: 10).count == 1)
    }
}
