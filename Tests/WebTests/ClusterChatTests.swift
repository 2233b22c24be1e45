import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import Web

/// Site chat across two nodes on one PostgreSQL: a message sent on one node reaches the sockets
/// of the other over LISTEN/NOTIFY, once, and is stored once. Each node serves on a real port.
@Suite(.enabled(if: WebTestApp.usesPostgres, WebTestApp.clusterNeedsPostgres))
struct ClusterChatTests {
    private func waitUntilListening(_ nodes: [WebTestApp]) async throws {
        for _ in 0..<200 {
            var all = true
            for node in nodes where await node.app.chatFanOut?.isListening != true { all = false }
            if all { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the nodes did not start listening")
    }

    private func messages(_ events: [ChatEvent]) -> [ChatEvent] {
        events.filter { $0.type == "message" }
    }

    @Test func aMessageSentOnOneNodeReachesTheOtherOnceAndIsStoredOnce() async throws {
        try await WebTestApp.run(cluster: try WebTestApp.clusterNode("node-a")) { a in
            try await WebTestApp.run(sharingSchemaOf: a, cluster: try WebTestApp.clusterNode("node-b")) { b in
                try await waitUntilListening([a, b])
                let (alice, _) = try await a.loggedIn("alice")
                let (bob, _) = try await a.loggedIn("bob")
                try await LiveServer.run(a) { serverA in
                    try await LiveServer.run(b) { serverB in
                        // Sessions are in the database: a cookie from node-a opens node-b's chat.
                        let onA = try await ChatTestClient.connect(serverA, room: "lobby", cookie: try #require(alice.sessionCookie))
                        let onB = try await ChatTestClient.connect(serverB, room: "lobby", cookie: try #require(bob.sessionCookie))
                        let elsewhere = try await ChatTestClient.connect(serverB, room: "other", cookie: try #require(bob.sessionCookie))
                        try await Task.sleep(for: .milliseconds(100))
                        try await onA.send(#"{"text":"hello from node-a"}"#)
                        let heard = messages(try await onB.events(atLeast: 1))
                        #expect(heard.map(\.text) == ["hello from node-a"])
                        #expect(heard.first?.author == "alice" && heard.first?.history == false)
                        // The sender's node delivered it itself, and not a second time from NOTIFY.
                        try await Task.sleep(for: .milliseconds(300))
                        #expect(messages(try await onA.events(atLeast: 1)).map(\.text) == ["hello from node-a"])
                        #expect(messages(try await onB.events(atLeast: 1)).count == 1)
                        #expect(elsewhere.eventCount == 0, "another room hears nothing")
                        let sql = try #require(a.app.db as? any SQLDatabase)
                        let stored = try await sql.raw("SELECT count(*)::bigint AS n FROM chat_messages").first()
                        #expect(try stored?.decode(column: "n", as: Int.self) == 1)

                        // A notice too large for NOTIFY carries the id alone: node-b reads the message back.
                        let fanOutB = try #require(b.app.chatFanOut)
                        let message = ChatMessage(room: "lobby", authorName: "carol", text: "read back")
                        try await message.save(on: a.app.db)
                        let notice = ChatNotice(origin: UUID(), id: try #require(message.id), room: "lobby", event: nil)
                        await fanOutB.receive(try #require(notice.payload()))
                        #expect(messages(try await onB.events(atLeast: 2)).map(\.text) == ["hello from node-a", "read back"])
                        for client in [onA, onB, elsewhere] { await client.close() }
                    }
                }
            }
        }
    }
}
