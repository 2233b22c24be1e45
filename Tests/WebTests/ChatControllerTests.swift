import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Web

@Suite struct ChatControllerTests {
    @Test func thePageNeedsALoginAndShowsTheRoom() async throws {
        try await WebTestApp.run { t in
            #expect(try await t.app.testing().sendRequest(.GET, "/chat").status == .seeOther)
            let (browser, _) = try await t.loggedIn("ana")
            let page = try await browser.get("/chat?room=team-1")
            #expect(page.status == .ok)
            #expect(page.body.string.contains(#"data-room="team-1""#))
            #expect(try await browser.get("/chat?room=%3Cscript%3E").status == .badRequest)
        }
    }

    @Test func messagesAreBroadcastStoredAndReplayedOnJoin() async throws {
        try await WebTestApp.run { t in
            let (alice, _) = try await t.loggedIn("alice")
            let (bob, _) = try await t.loggedIn("bob")
            try await LiveServer.run(t) { server in
                let first = try await ChatTestClient.connect(server, room: "lobby", cookie: try #require(alice.sessionCookie))
                let second = try await ChatTestClient.connect(server, room: "lobby", cookie: try #require(bob.sessionCookie))
                let elsewhere = try await ChatTestClient.connect(server, room: "other", cookie: try #require(bob.sessionCookie))
                let hostile = #"<script>alert("x")</script> ' OR 1=1; --"#
                let payload = String(decoding: try JSONEncoder().encode(["text": hostile]), as: UTF8.self)
                try await first.send(payload)
                let seen = try await second.events(atLeast: 1)
                #expect(seen.first?.type == "message")
                #expect(seen.first?.author == "alice")
                #expect(seen.first?.text == hostile)
                #expect(seen.first?.history == false)
                #expect(try await first.events(atLeast: 1).first?.text == hostile)

                let stored = try await ChatMessage.query(on: t.app.db).all()
                #expect(stored.map(\.text) == [hostile])
                #expect(stored.first?.room == "lobby" && stored.first?.authorName == "alice")

                let late = try await ChatTestClient.connect(server, room: "lobby", cookie: try #require(bob.sessionCookie))
                let replay = try await late.events(atLeast: 1)
                #expect(replay.map(\.text) == [hostile])
                #expect(replay.first?.history == true)
                try await Task.sleep(for: .milliseconds(100))
                #expect(try await elsewhere.events(atLeast: 0).isEmpty)
                for client in [first, second, elsewhere, late] {
                    await client.close()
                }
            }
        }
    }

    @Test func onlyTheLast100AreReplayedInOrder() async throws {
        try await WebTestApp.run { t in
            let (browser, _) = try await t.loggedIn("cid")
            for index in 0..<105 {
                let message = ChatMessage(room: "busy", authorName: "cid", text: "message \(index)")
                message.createdAt = Date(timeIntervalSince1970: 1_700_000_000 + Double(index))
                try await message.create(on: t.app.db)
            }
            try await LiveServer.run(t) { server in
                let client = try await ChatTestClient.connect(server, room: "busy", cookie: try #require(browser.sessionCookie))
                let replay = try await client.events(atLeast: 100)
                #expect(replay.count == 100)
                #expect(replay.first?.text == "message 5")
                #expect(replay.last?.text == "message 104")
                await client.close()
            }
        }
    }

    @Test func badFramesGetAnErrorAndTheSocketLivesOn() async throws {
        try await WebTestApp.run { t in
            let (browser, _) = try await t.loggedIn("dee")
            try await LiveServer.run(t) { server in
                let client = try await ChatTestClient.connect(server, room: "lobby", cookie: try #require(browser.sessionCookie))
                try await client.send("not json")
                try await client.send(#"{"text":"   "}"#)
                try await client.send(#"{"text":"\#(String(repeating: "a", count: 501))"}"#)
                // 100 characters, but 2100 bytes: each carries ten combining accents.
                let heavy = String(repeating: "e" + String(repeating: "\u{301}", count: 10), count: 100)
                try await client.send(#"{"text":"\#(heavy)"}"#)
                try await client.send(#"{"text":"still here"}"#)
                let events = try await client.events(atLeast: 5)
                #expect(events.prefix(4).map(\.type) == ["error", "error", "error", "error"])
                #expect(events.dropFirst(4).first?.text == "still here")
                #expect(try await ChatMessage.query(on: t.app.db).count() == 1)
                await client.close()
            }
        }
    }

    @Test func aFloodPastTheRateLimitIsRefusedAndNotStored() async throws {
        // The burst of 10, then one message every 50 s: however slowly a busy machine sends,
        // stores and answers the flood, the first 10 go and the other 30 are refused.
        let limits = ChatLimits(messagesPerSecond: 0.02)
        try await WebTestApp.run(adjust: { $0.chat = limits }) { t in
            let (browser, _) = try await t.loggedIn("flo")
            try await LiveServer.run(t) { server in
                let client = try await ChatTestClient.connect(server, room: "lobby", cookie: try #require(browser.sessionCookie))
                for index in 0..<40 {
                    try await client.send(#"{"text":"flood \#(index)"}"#)
                }
                let events = try await client.events(atLeast: 40, timeout: .seconds(30))
                let delivered = events.filter { $0.type == "message" }
                let refused = events.filter { $0.type == "error" }
                #expect(delivered.map(\.text) == (0..<10).map { "flood \($0)" })
                #expect(refused.count == 30)
                #expect(refused.allSatisfy { $0.message == ChatController.rateLimitMessage(limits) })
                #expect(try await ChatMessage.query(on: t.app.db).count() == 10)
                #expect(!client.socket.isClosed)
                await client.close()
            }
        }
    }

    @Test func theRateLimitSaysWhatIsAllowed() {
        #expect(ChatController.rateLimitMessage(ChatLimits()) == "Too many messages: at most 5 a second. This one was not sent.")
        #expect(
            ChatController.rateLimitMessage(ChatLimits(messagesPerSecond: 0.02))
                == "Too many messages: at most one every 50 s. This one was not sent.")
    }

    @Test func aRoomKeepsOnlyItsLatestMessages() async throws {
        try await WebTestApp.run(adjust: { $0.chat.retainedPerRoom = 5 }) { t in
            let (browser, _) = try await t.loggedIn("kim")
            for room in ["busy", "quiet"] {
                for index in 0..<8 {
                    let message = ChatMessage(room: room, authorName: "kim", text: "\(room) \(index)")
                    message.createdAt = Date(timeIntervalSince1970: 1_700_000_000 + Double(index))
                    try await message.create(on: t.app.db)
                }
            }
            try await LiveServer.run(t) { server in
                let client = try await ChatTestClient.connect(server, room: "busy", cookie: try #require(browser.sessionCookie))
                #expect(try await client.events(atLeast: 8).count == 8, "all 8 stored are replayed")
                try await client.send(#"{"text":"latest"}"#)
                #expect(try await client.events(atLeast: 9).last?.text == "latest")
                await client.close()
            }
            // The room is pruned right after the message is sent out.
            for _ in 0..<500 where try await ChatMessage.query(on: t.app.db).filter(\.$room == "busy").count() > 5 {
                try await Task.sleep(for: .milliseconds(10))
            }
            let busy = try await ChatMessage.query(on: t.app.db).filter(\.$room == "busy").sort(\.$createdAt).all()
            #expect(busy.map(\.text) == ["busy 4", "busy 5", "busy 6", "busy 7", "latest"])
            // Only the room that was written to is pruned.
            #expect(try await ChatMessage.query(on: t.app.db).filter(\.$room == "quiet").count() == 8)
        }
    }

    @Test func theSocketIsForLoggedInClientsOnly() async throws {
        try await WebTestApp.run { t in
            let response = try await t.app.testing().sendRequest(.GET, "/chat/ws?room=lobby")
            #expect(response.status == .seeOther)
        }
    }

    @Test func roomNamesAreShortAndPlain() {
        #expect(ChatRoomName.isValid("lobby"))
        #expect(ChatRoomName.isValid("team_1-b"))
        #expect(ChatRoomName.isValid(String(repeating: "a", count: 40)))
        #expect(!ChatRoomName.isValid(String(repeating: "a", count: 41)))
        #expect(!ChatRoomName.isValid(""))
        #expect(!ChatRoomName.isValid("bad room"))
        #expect(!ChatRoomName.isValid("<script>"))
        #expect(!ChatRoomName.isValid("../x"))
    }
}
