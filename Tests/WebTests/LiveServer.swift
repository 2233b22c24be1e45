import Foundation
import NIOConcurrencyHelpers
import Testing
import VaporTesting
@testable import Web

/// The test application served on a real socket on 127.0.0.1, for what the in-memory tester
/// cannot show: the client's IP address, the body size limit of the HTTP server, WebSockets.
struct LiveServer {
    let app: Application
    let port: Int

    var base: String { "http://127.0.0.1:\(port)" }

    static func run<T>(_ t: WebTestApp, _ body: (LiveServer) async throws -> T) async throws -> T {
        try await t.app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            let port = try #require(t.app.http.server.shared.localAddress?.port)
            let result = try await body(LiveServer(app: t.app, port: port))
            await t.app.server.shutdown()
            return result
        } catch {
            await t.app.server.shutdown()
            throw error
        }
    }

    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> ClientResponse {
        try await app.client.get(URI(string: base + path), headers: headers)
    }

    func post(_ path: String, headers: HTTPHeaders, body: ByteBuffer) async throws -> ClientResponse {
        try await app.client.post(URI(string: base + path), headers: headers) { request in
            request.body = body
        }
    }
}

/// A chat WebSocket client that keeps every event it receives.
final class ChatTestClient: Sendable {
    let socket: WebSocket
    private let received: NIOLockedValueBox<[ChatEvent]>

    private init(socket: WebSocket, received: NIOLockedValueBox<[ChatEvent]>) {
        self.socket = socket
        self.received = received
    }

    static func connect(_ server: LiveServer, room: String, cookie: String) async throws -> ChatTestClient {
        let received = NIOLockedValueBox<[ChatEvent]>([])
        let opened = NIOLockedValueBox<WebSocket?>(nil)
        try await WebSocket.connect(
            scheme: "ws", host: "127.0.0.1", port: server.port, path: "/chat/ws", query: "room=\(room)",
            headers: ["Cookie": "relay-session=\(cookie)"],
            on: server.app.eventLoopGroup
        ) { socket in
            socket.onText { _, text in
                if let event = try? JSONDecoder().decode(ChatEvent.self, from: Data(text.utf8)) {
                    received.withLockedValue { $0.append(event) }
                }
            }
            opened.withLockedValue { $0 = socket }
        }.get()
        for _ in 0..<200 {
            if let socket = opened.withLockedValue({ $0 }) {
                return ChatTestClient(socket: socket, received: received)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw Abort(.gatewayTimeout, reason: "the chat socket did not open")
    }

    func send(_ text: String) async throws {
        try await socket.send(text)
    }

    /// How many events arrived so far.
    var eventCount: Int {
        received.withLockedValue { $0.count }
    }

    /// Waits up to `timeout` for at least `count` events.
    func events(atLeast count: Int, timeout: Duration = .seconds(5)) async throws -> [ChatEvent] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let events = received.withLockedValue { $0 }
            if events.count >= count {
                return events
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return received.withLockedValue { $0 }
    }

    func close() async {
        try? await socket.close()
    }
}
