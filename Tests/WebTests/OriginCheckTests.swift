import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing
import Vapor
@testable import Web

/// `/ws` and `/chat/ws` open only from the server's own pages, from a configured origin, or from
/// a client that sends no Origin; anything else gets 403 before the upgrade.
@Suite struct OriginCheckTests {
    @Test(arguments: [
        // (Origin, Host, admitted)
        (nil, "relay.example:8080", true),
        ("http://relay.example:8080", "relay.example:8080", true),
        ("https://relay.example:8080", "relay.example:8080", true),
        ("https://RELAY.example", "relay.example", true),
        ("https://relay.example:443", "relay.example", true),
        ("http://relay.example", "relay.example:80", true),
        ("http://[::1]:8080", "[::1]:8080", true),
        ("http://relay.example:8081", "relay.example:8080", false),
        ("http://relay.example", "relay.example:8080", false),
        ("http://evil.example:8080", "relay.example:8080", false),
        ("http://relay.example.evil.example:8080", "relay.example:8080", false),
        ("null", "relay.example:8080", false),
        ("relay.example:8080", "relay.example:8080", false),
        ("http://user@relay.example:8080", "relay.example:8080", false),
        ("http://relay.example:8080/", "relay.example:8080", false),
        ("http://evil.example", nil, false),
    ] as [(String?, String?, Bool)])
    func sameOriginIsTheHostWhateverTheScheme(origin: String?, host: String?, admitted: Bool) {
        #expect(OriginPolicy().admits(origin: origin, host: host) == admitted)
    }

    @Test func aConfiguredOriginIsAdmittedWithItsSchemeAndPort() throws {
        let policy = try OriginPolicy(allowing: ["https://app.example", "http://localhost:3000"])
        #expect(policy.admits(origin: "https://app.example", host: "relay.example"))
        #expect(policy.admits(origin: "https://APP.example:443", host: "relay.example"))
        #expect(policy.admits(origin: "http://localhost:3000", host: "relay.example"))
        #expect(!policy.admits(origin: "http://app.example", host: "relay.example"))
        #expect(!policy.admits(origin: "http://localhost:3001", host: "relay.example"))
    }

    @Test(arguments: ["app.example", "https://app.example/path", "https://", "*", "https://app.example:http"])
    func aMalformedConfiguredOriginIsRefused(origin: String) {
        #expect(throws: OriginPolicyError.invalidOrigin(origin)) { try OriginPolicy(allowing: [origin]) }
    }

    static func handshake(origin: String?, host: String = "relay.example:8080") -> HTTPHeaders {
        var headers: HTTPHeaders = [
            "Host": host, "Connection": "Upgrade", "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        ]
        if let origin {
            headers.add(name: .origin, value: origin)
        }
        return headers
    }

    @Test func signalingSocketRefusesAForeignOriginWith403() async throws {
        try await WebTestApp.run { t in
            let tester = try t.app.testing()
            let foreign = try await tester.sendRequest(.GET, "/ws", headers: Self.handshake(origin: "https://evil.example"))
            #expect(foreign.status == .forbidden)
            let own = try await tester.sendRequest(.GET, "/ws", headers: Self.handshake(origin: "https://relay.example:8080"))
            #expect(own.status == .switchingProtocols)
            let none = try await tester.sendRequest(.GET, "/ws", headers: Self.handshake(origin: nil))
            #expect(none.status == .switchingProtocols)
            var twice = Self.handshake(origin: "https://relay.example:8080")
            twice.add(name: .origin, value: "https://evil.example")
            #expect(try await tester.sendRequest(.GET, "/ws", headers: twice).status == .forbidden)
        }
    }

    @Test func chatSocketRefusesAForeignOriginWith403() async throws {
        try await WebTestApp.run(origins: try OriginPolicy(allowing: ["https://app.example"])) { t in
            let (browser, _) = try await t.loggedIn("olive")
            let path = "/chat/ws?room=lobby"
            #expect(try await browser.get(path, headers: Self.handshake(origin: "https://evil.example")).status == .forbidden)
            #expect(try await browser.get(path, headers: Self.handshake(origin: "http://relay.example:8080")).status == .switchingProtocols)
            #expect(try await browser.get(path, headers: Self.handshake(origin: "https://app.example")).status == .switchingProtocols)
            #expect(try await browser.get(path, headers: Self.handshake(origin: nil)).status == .switchingProtocols)
        }
    }

    /// A real client over a socket: the handshake fails, no socket opens; from a configured
    /// origin it opens. (websocket-kit's client sends `Host` without the port, so the same-origin
    /// case is left to the tests above.)
    @Test func aRealHandshakeFromAForeignOriginDoesNotOpen() async throws {
        try await WebTestApp.run(origins: try OriginPolicy(allowing: ["https://app.example"])) { t in
            try await LiveServer.run(t) { server in
                await #expect(throws: (any Error).self) {
                    try await WebSocket.connect(
                        to: "ws://127.0.0.1:\(server.port)/ws", headers: ["Origin": "https://evil.example"],
                        on: server.app.eventLoopGroup
                    ) { _ in }.get()
                }
                let opened = NIOLockedValueBox(false)
                try await WebSocket.connect(
                    to: "ws://127.0.0.1:\(server.port)/ws", headers: ["Origin": "https://app.example"],
                    on: server.app.eventLoopGroup
                ) { socket in
                    opened.withLockedValue { $0 = true }
                    _ = socket.close()
                }.get()
                for _ in 0..<100 where !opened.withLockedValue({ $0 }) {
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(opened.withLockedValue { $0 })
            }
        }
    }
}
