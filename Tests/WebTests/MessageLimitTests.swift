import Foundation
import NIOCore
import Testing
import Vapor
@testable import Web

/// One message sent as endless fragments, each under the frame limit, on a running server: the
/// server keeps at most one message's worth of it and closes the socket with 1009.
@Suite(.serialized) struct MessageLimitTests {
    static let attackSize = 300 * 1_048_576
    static let allowedGrowth = 32 * 1_048_576

    /// Sends `total` bytes as one text message of non-final fragments of `fragment` bytes,
    /// stopping when the server closes; then waits for the close. Returns the bytes sent and how
    /// much the process grew while the server held what it kept.
    static func sendFragmented(
        _ socket: WebSocket, total: Int, fragment: Int
    ) async throws -> (sent: Int, growth: Int) {
        let before = try ResidentMemory.bytes()
        let chunk = ByteBuffer(repeating: UInt8(ascii: "a"), count: fragment)
        var sent = 0
        while sent < total, !socket.isClosed {
            do {
                try await socket.send(raw: chunk.readableBytesView, opcode: sent == 0 ? .text : .continuation, fin: false)
            } catch {
                break
            }
            sent += fragment
        }
        // Measured before the client gives up: a server that buffers still holds it all now.
        let growth = try ResidentMemory.bytes() - before
        let deadline = ContinuousClock.now + .seconds(10)
        while !socket.isClosed, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return (sent, growth)
    }

    @Test(arguments: [900 * 1024, 60 * 1024])
    func aFragmentedSignalingMessageClosesTheSocketWith1009(fragment: Int) async throws {
        try await SignalingSocketTests.withRunningServer { port, group in
            let attacker = try await SocketClient.connect(port: port, on: group)
            let bystander = try await SocketClient.connect(port: port, on: group)
            _ = try await SignalingSocketTests.join(bystander, room: "r", name: "Bo")

            let (sent, growth) = try await Self.sendFragmented(attacker.socket, total: Self.attackSize, fragment: fragment)
            if !attacker.socket.isClosed { try? await attacker.socket.close() }
            print("/ws, \(fragment / 1024) KiB fragments: sent \(ResidentMemory.mebibytes(sent)), growth \(ResidentMemory.mebibytes(growth))")
            #expect(growth < Self.allowedGrowth, "growth \(ResidentMemory.mebibytes(growth))")
            #expect(sent < Self.attackSize, "the server closed before the whole message was sent")
            #expect(attacker.socket.closeCode == .messageTooLarge)
            try await SignalingSocketTests.expectServed(bystander, after: "another socket's oversized message")
            try await bystander.socket.close()
        }
    }

    @Test func aFragmentedChatMessageClosesTheSocketWith1009() async throws {
        try await WebTestApp.run { t in
            let (browser, _) = try await t.loggedIn("mallory")
            let cookie = try #require(browser.sessionCookie)
            try await LiveServer.run(t) { server in
                let attacker = try await ChatTestClient.connect(server, room: "lobby", cookie: cookie)
                let (sent, growth) = try await Self.sendFragmented(attacker.socket, total: Self.attackSize, fragment: 4000)
                if !attacker.socket.isClosed { await attacker.close() }
                print("/chat/ws, 4000 B fragments: sent \(ResidentMemory.mebibytes(sent)), growth \(ResidentMemory.mebibytes(growth))")
                #expect(growth < Self.allowedGrowth, "growth \(ResidentMemory.mebibytes(growth))")
                #expect(sent < Self.attackSize, "the server closed before the whole message was sent")
                #expect(attacker.socket.closeCode == .messageTooLarge)

                // The chat still serves everyone else. The server joins a socket to its room after
                // the upgrade, on its own task: wait for that before speaking.
                let hub = try WebServices.of(t.app).chat
                func waitForMembers(_ count: Int) async throws {
                    for _ in 0..<500 where await hub.memberCount(of: "lobby") != count {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    #expect(await hub.memberCount(of: "lobby") == count)
                }
                try await waitForMembers(0)
                let honest = try await ChatTestClient.connect(server, room: "lobby", cookie: cookie)
                try await waitForMembers(1)
                try await honest.send(#"{"text":"hello"}"#)
                #expect(try await honest.events(atLeast: 1).first?.text == "hello")
                await honest.close()
            }
        }
    }

    @Test func aMessageJustUnderTheLimitInManyFragmentsIsStillRead() async throws {
        try await SignalingSocketTests.withRunningServer { port, group in
            let ada = try await SocketClient.connect(port: port, on: group)
            _ = try await SignalingSocketTests.join(ada, room: "r", name: "Ada")
            let text = #"{"type":"chat","text":"in pieces"}"#
            let bytes = Array(text.utf8)
            let pieces = stride(from: 0, to: bytes.count, by: 4).map { Array(bytes[$0..<min($0 + 4, bytes.count)]) }
            for (index, piece) in pieces.enumerated() {
                try await ada.socket.send(
                    raw: piece, opcode: index == 0 ? .text : .continuation, fin: index == pieces.count - 1)
            }
            _ = try await ada.next("the fragmented chat") { $0["type"] == .string("chat") && $0["text"] == .string("in pieces") }
            #expect(!ada.socket.isClosed)
            try await ada.socket.close()
        }
    }
}
