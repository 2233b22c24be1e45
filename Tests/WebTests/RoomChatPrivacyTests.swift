import Testing
@testable import Web

/// A room's chat history belongs to the room as it was when it was said: a password-protected
/// room's to those who gave the password, and only while the room lasts. Run on both stores.
@Suite struct RoomChatPrivacyTests {
    enum Store: String, CaseIterable, CustomStringConvertible {
        case memory, database
        var description: String { rawValue }
    }

    static func withRegistry(_ store: Store, _ body: (RoomRegistry) async throws -> Void) async throws {
        switch store {
        case .memory:
            try await body(RoomRegistry(chatHistory: InMemoryChatHistory()))
        case .database:
            try await WebTestApp.run { t in
                try await body(RoomRegistry(chatHistory: DatabaseChatHistory(database: t.app.db, logger: t.app.logger)))
            }
        }
    }

    /// Joins and returns the replayed history, or nil when the join was refused.
    static func join(
        _ registry: RoomRegistry, _ room: String, as name: String, password: String? = nil
    ) async -> (RecordingConnection, [String]?) {
        let connection = RecordingConnection()
        await registry.handle(.join(JoinRequest(room: room, name: name, password: password)), from: connection)
        return (connection, RoomChatTests.history(connection).map { $0.map(\.text) })
    }

    @Test(arguments: Store.allCases)
    func aPasswordRoomsHistoryIsNeverReplayedToAnyoneWithoutThePassword(store: Store) async throws {
        try await Self.withRegistry(store) { registry in
            let (ada, _) = await Self.join(registry, "r", as: "Ada", password: "s3cret")
            await registry.handle(.chat(text: "the secret plan", id: nil), from: ada)

            let (bo, boHistory) = await Self.join(registry, "r", as: "Bo", password: "s3cret")
            #expect(boHistory == ["the secret plan"], "a member who gave the password sees what was said")
            let (_, refused) = await Self.join(registry, "r", as: "Eve")
            #expect(refused == nil, "no password, no entry")

            await registry.handle(.leave, from: ada)
            await registry.handle(.leave, from: bo)
            #expect(await registry.roomCount == 0)
            let (_, eveHistory) = await Self.join(registry, "r", as: "Eve")
            #expect(eveHistory == [], "the emptied room's name, taken without the password, replays nothing")
        }
    }

    @Test(arguments: Store.allCases)
    func aPasswordRoomsHistoryEndsWithTheRoom(store: Store) async throws {
        try await Self.withRegistry(store) { registry in
            let (ada, _) = await Self.join(registry, "r", as: "Ada", password: "one")
            await registry.handle(.chat(text: "said under the first password", id: nil), from: ada)
            await registry.handle(.leave, from: ada)

            let (eve, eveHistory) = await Self.join(registry, "r", as: "Eve", password: "two")
            #expect(eveHistory == [], "a new password, a new room")
            await registry.handle(.chat(text: "said under the second password", id: nil), from: eve)
            await registry.handle(.leave, from: eve)

            let (_, adaAgain) = await Self.join(registry, "r", as: "Ada", password: "one")
            #expect(adaAgain == [], "the history ended with the room it was said in")
        }
    }

    @Test(arguments: Store.allCases)
    func anOpenRoomsHistoryOutlivesItButNotWhatWasSaidWhileLocked(store: Store) async throws {
        try await Self.withRegistry(store) { registry in
            let (ada, _) = await Self.join(registry, "r", as: "Ada")
            await registry.handle(.chat(text: "hello all", id: nil), from: ada)
            await registry.handle(.lock(true), from: ada)
            await registry.handle(.chat(text: "between us", id: nil), from: ada)
            await registry.handle(.lock(false), from: ada)
            let (bo, boHistory) = await Self.join(registry, "r", as: "Bo")
            #expect(boHistory == ["hello all", "between us"], "a member of the same room sees all of it")
            await registry.handle(.leave, from: ada)
            await registry.handle(.leave, from: bo)

            let (_, later) = await Self.join(registry, "r", as: "Cy")
            #expect(later == ["hello all"], "only what anyone could have joined to read outlives the room")
        }
    }
}
