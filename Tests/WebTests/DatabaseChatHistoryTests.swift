import Fluent
import Testing
import VaporTesting
@testable import Web

@Suite struct DatabaseChatHistoryTests {
    static func message(_ index: Int, text: String? = nil) -> CallChatMessage {
        CallChatMessage(id: "m\(index)", from: "peer\(index % 2)", name: "Name \(index)", text: text ?? "text \(index)", ts: 1_000 + Int64(index))
    }

    @Test func keepsEachRoomsMessagesAndGivesTheLastOnesOldestFirst() async throws {
        try await WebTestApp.run { t in
            let history = DatabaseChatHistory(database: t.app.db, logger: t.app.logger)
            let hostile = #"<b>"quoted"</b> ' OR 1=1; -- é"#
            for index in 0..<5 { await history.append(Self.message(index), room: "team") }
            await history.append(Self.message(9, text: hostile), room: "team")
            await history.append(Self.message(7), room: "elsewhere")

            let recent = await history.recent(room: "team", limit: 3)
            #expect(recent.map(\.id) == ["m3", "m4", "m9"])
            #expect(recent.last == Self.message(9, text: hostile), "stored verbatim, every field")
            #expect(await history.recent(room: "elsewhere", limit: 100).map(\.id) == ["m7"])
            #expect(await history.recent(room: "nobody", limit: 100).isEmpty)
        }
    }
}
