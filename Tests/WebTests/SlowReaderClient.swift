import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// A WebSocket client on a bare TCP connection that reads only when told to, with a small
/// receive buffer: what the server sends it stays in the server, as with a client that stopped
/// reading. It speaks just enough of RFC 6455 for the tests: the handshake, masked text frames
/// out, and a scan of what came in for a close frame.
final class SlowReaderClient: Sendable {
    private let channel: any Channel
    private let inbox: Inbox

    private init(channel: any Channel, inbox: Inbox) {
        self.channel = channel
        self.inbox = inbox
    }

    /// Opens `path` (with its query) and completes the handshake, then stops reading.
    static func connect(port: Int, path: String, cookie: String? = nil, on group: any EventLoopGroup) async throws -> SlowReaderClient {
        let inbox = Inbox()
        let channel = try await ClientBootstrap(group: group)
            // Set before connecting, so the kernel does not grow it: the connection's window
            // stays a few KiB.
            .channelOption(ChannelOptions.socketOption(.so_rcvbuf), value: 4096)
            .channelOption(ChannelOptions.autoRead, value: false)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(inbox) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        if let cookie { request += "Cookie: relay-session=\(cookie)\r\n" }
        request += "\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: request)).get()
        let client = SlowReaderClient(channel: channel, inbox: inbox)
        for _ in 0..<500 {
            if let status = inbox.takeHandshake() {
                guard status.hasPrefix("HTTP/1.1 101") else { throw SocketTestFailure("handshake refused: \(status)") }
                return client
            }
            channel.read()
            try await Task.sleep(for: .milliseconds(10))
        }
        throw SocketTestFailure("no handshake answer")
    }

    /// Sends one text frame, masked as a client's must be (RFC 6455 section 5.3).
    func send(_ text: String) async throws {
        let payload = Array(text.utf8)
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        var frame = ByteBuffer()
        frame.writeInteger(UInt8(0x81))
        if payload.count <= 125 {
            frame.writeInteger(UInt8(0x80 | payload.count))
        } else if payload.count <= 65_535 {
            frame.writeInteger(UInt8(0x80 | 126))
            frame.writeInteger(UInt16(payload.count))
        } else {
            frame.writeInteger(UInt8(0x80 | 127))
            frame.writeInteger(UInt64(payload.count))
        }
        frame.writeBytes(mask)
        frame.writeBytes(payload.enumerated().map { $0.element ^ mask[$0.offset % 4] })
        try await channel.writeAndFlush(frame).get()
    }

    /// Reads again, everything, until the connection ends.
    func resumeReading() async throws {
        try await channel.setOption(ChannelOptions.autoRead, value: true).get()
    }

    /// Waits up to `seconds` for the server to end the connection; the code of the close frame
    /// it sent before, if one came.
    func closeCode(within seconds: Int) async throws -> UInt16? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !inbox.isClosed {
            guard ContinuousClock.now < deadline else { throw SocketTestFailure("the server did not end the connection") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return inbox.closeCode()
    }

    func close() async {
        try? await channel.close()
    }

    /// Collects the bytes that arrive, and whether the connection ended.
    private final class Inbox: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer

        private let state = NIOLockedValueBox<(bytes: ByteBuffer, closed: Bool)>((ByteBuffer(), false))

        var isClosed: Bool { state.withLockedValue { $0.closed } }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var incoming = unwrapInboundIn(data)
            state.withLockedValue { $0.bytes.writeBuffer(&incoming) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            state.withLockedValue { $0.closed = true }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }

        /// The status line of the handshake's answer once it has all come, its bytes taken.
        func takeHandshake() -> String? {
            state.withLockedValue { state in
                let text = String(decoding: state.bytes.readableBytesView, as: UTF8.self)
                guard let end = text.range(of: "\r\n\r\n") else { return nil }
                state.bytes.moveReaderIndex(forwardBy: text[..<end.upperBound].utf8.count)
                return text.split(separator: "\r\n").first.map(String.init)
            }
        }

        /// Walks the server's frames (unmasked) for a close frame, and returns its code.
        func closeCode() -> UInt16? {
            state.withLockedValue { state in
                var bytes = state.bytes
                while let first = bytes.readInteger(as: UInt8.self), let second = bytes.readInteger(as: UInt8.self) {
                    var length = Int(second & 0x7F)
                    if length == 126 {
                        guard let extended = bytes.readInteger(as: UInt16.self) else { return nil }
                        length = Int(extended)
                    } else if length == 127 {
                        guard let extended = bytes.readInteger(as: UInt64.self) else { return nil }
                        length = Int(extended)
                    }
                    guard var payload = bytes.readSlice(length: length) else { return nil }
                    if first & 0x0F == 0x8 {
                        return payload.readInteger(as: UInt16.self)
                    }
                }
                return nil
            }
        }
    }
}
