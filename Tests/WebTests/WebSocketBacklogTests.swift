import Foundation
import Testing
import Vapor
@testable import Web

/// A client that stops reading while the server sends it a lot, on a running server: the bytes
/// the server holds for it stay under the socket's cap, the socket is closed with 1008, and
/// everyone else is still served.
@Suite(.serialized) struct WebSocketBacklogTests {
    @Test func aSignalingClientThatStopsReadingIsClosedWith1008() async throws {
        // A rate limit out of the way, so one talker can send the reader megabytes quickly.
        let signaling = SignalingConfiguration(messagesPerSecond: 100_000, messageBurst: 100_000)
        let app = try await Application.make(.testing)
        do {
            try configure(app, WebConfiguration(hostname: "127.0.0.1", port: 0, signaling: signaling))
            try await app.asyncBoot()
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)

            let reader = try await SlowReaderClient.connect(port: port, path: "/ws", on: app.eventLoopGroup)
            try await reader.send(#"{"type":"join","room":"r","name":"Reader"}"#)
            let talker = try await SocketClient.connect(port: port, on: app.eventLoopGroup)
            _ = try await SignalingSocketTests.join(talker, room: "r", name: "Talker")

            // 2000 characters of four bytes each: 8000 bytes a chat, sent to both.
            let text = String(repeating: "\u{1F600}", count: 2000)
            let chat = String(decoding: try JSONEncoder().encode(["type": "chat", "text": text]), as: UTF8.self)
            let closed = try await Self.send(
                chat, from: { try await talker.send($0) },
                echoed: { count in talker.transcript.all.count { $0.contains(#""type":"chat""#) } >= count },
                until: app.webSocketBacklog, atMost: 3000)
            #expect(closed, "the reader was closed")
            #expect(app.webSocketBacklog.peakPendingBytes <= WebSocketLimits.signaling.maximumPendingBytes)

            try await reader.resumeReading()
            #expect(try await reader.closeCode(within: 5) == 1008)
            try await SignalingSocketTests.expectServed(talker, after: "a reader that did not read was closed")
            try await talker.socket.close()
        } catch {
            await app.server.shutdown()
            try await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    @Test func aChatClientThatStopsReadingIsClosedWith1008() async throws {
        try await WebTestApp.run(adjust: { $0.chat = ChatLimits(messagesPerSecond: 100_000, messageBurst: 100_000) }) { t in
            let (browser, _) = try await t.loggedIn("rita")
            let cookie = try #require(browser.sessionCookie)
            try await LiveServer.run(t) { server in
                let hub = try WebServices.of(t.app).chat
                let reader = try await SlowReaderClient.connect(
                    port: server.port, path: "/chat/ws?room=lobby", cookie: cookie, on: t.app.eventLoopGroup)
                let talker = try await ChatTestClient.connect(server, room: "lobby", cookie: cookie)
                for _ in 0..<500 where await hub.memberCount(of: "lobby") < 2 {
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(await hub.memberCount(of: "lobby") == 2)

                // 500 characters of four bytes each: 2000 bytes a message, sent to both.
                let text = String(repeating: "\u{1F600}", count: 500)
                let message = String(decoding: try JSONEncoder().encode(["text": text]), as: UTF8.self)
                let closed = try await Self.send(
                    message, from: { try await talker.send($0) }, echoed: { talker.eventCount >= $0 },
                    until: t.app.webSocketBacklog, atMost: 2000)
                #expect(closed, "the reader was closed")
                #expect(t.app.webSocketBacklog.peakPendingBytes <= WebSocketLimits.chat.maximumPendingBytes)

                try await reader.resumeReading()
                #expect(try await reader.closeCode(within: 5) == 1008)
                for _ in 0..<500 where await hub.memberCount(of: "lobby") > 1 {
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(await hub.memberCount(of: "lobby") == 1, "the closed reader left the room")
                await talker.close()
            }
        }
    }

    /// Sends `frame` again and again until the server closed a socket for not reading; after
    /// every 50, waits until the talker heard them back (`echoed(n)`: it has heard `n`), so the
    /// server has handled them. Whether it closed one within `limit` frames.
    static func send(
        _ frame: String, from send: (String) async throws -> Void, echoed: (Int) -> Bool,
        until backlog: WebSocketBacklogStatistics, atMost limit: Int
    ) async throws -> Bool {
        for index in 1...limit {
            try await send(frame)
            guard index % 50 == 0 else { continue }
            let deadline = ContinuousClock.now + .seconds(10)
            while !echoed(index), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            if backlog.closedSockets > 0 {
                print("closed for not reading after \(index) frames of \(frame.utf8.count) bytes; peak \(backlog.peakPendingBytes) bytes pending")
                return true
            }
        }
        return backlog.closedSockets > 0
    }
}
