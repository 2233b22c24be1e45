import Fluent
import Testing
import VaporTesting
@testable import Web

@Suite struct DatabaseChatHistoryTests {
    static func message(_ index: Int, text: String? = nil) -> CallChatMessage {
        CallChatMessage(id: "m\(index)", from: "peer\(index % 2)", name: "Name \(index)", text: text ?? "text \(index)", ts: 1_000 + Int64(index))
    }

    static func generation(_ room: String, _ id: String = "g1") -> ChatRoomGeneration {
        ChatRoomGeneration(room: room, id: id)
    }

    @Test func keepsEachRoomsMessagesAndGivesTheLastOnesOldestFirst() async throws {
        try await WebTestApp.run { t in
            let history = DatabaseChatHistory(database: t.app.db, logger: t.app.logger)
            let hostile = #"<b>"quoted"</b> ' OR 1=1; -- é"#
            for index in 0..<5 { await history.append(Self.message(index), in: Self.generation("team"), isPublic: true) }
            await history.append(Self.message(9, text: hostile), in: Self.generation("team"), isPublic: true)
            await history.append(Self.message(7), in: Self.generation("elsewhere"), isPublic: true)

            let recent = await history.recent(in: Self.generation("team"), includingPublic: false, limit: 3)
            #expect(recent.map(\.id) == ["m3", "m4", "m9"])
            #expect(recent.last == Self.message(9, text: hostile), "stored verbatim, every field")
            #expect(await history.recent(in: Self.generation("elsewhere"), includingPublic: true, limit: 100).map(\.id) == ["m7"])
            #expect(await history.recent(in: Self.generation("nobody"), includingPublic: true, limit: 100).isEmpty)
        }
    }

    @Test func aGenerationSeesItsOwnMessagesAndOnlyThePublicOnesOfOthers() async throws {
        try await WebTestApp.run { t in
            let history = DatabaseChatHistory(database: t.app.db, logger: t.app.logger)
            await history.append(Self.message(1), in: Self.generation("r", "old"), isPublic: true)
            await history.append(Self.message(2), in: Self.generation("r", "old"), isPublic: false)
            await history.append(Self.message(3), in: Self.generation("r", "new"), isPublic: false)
            #expect(await history.recent(in: Self.generation("r", "new"), includingPublic: true, limit: 10).map(\.id) == ["m1", "m3"])
            #expect(await history.recent(in: Self.generation("r", "new"), includingPublic: false, limit: 10).map(\.id) == ["m3"])
            #expect(await history.recent(in: Self.generation("r", "old"), includingPublic: false, limit: 10).map(\.id) == ["m1", "m2"])

            await history.end(Self.generation("r", "old"))
            let left = try await CallChatRecord.query(on: t.app.db).all()
            #expect(Set(left.map(\.messageId)) == ["m1", "m3"], "the ended generation's private message is deleted")
        }
    }
}
