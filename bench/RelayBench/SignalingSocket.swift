import Foundation
import NIOCore
import NIOPosix
import WebSocketKit

/// The relay's signaling for the load generator, over websocket-kit: blocking calls for the
/// generator's threads, the server's messages queued as they arrive.
final class SignalingSocket: @unchecked Sendable {
    enum Failure: Error, CustomStringConvertible {
        case connect(String)
        case closed
        case timeout

        var description: String {
            switch self {
            case .connect(let reason): "cannot open the signaling socket: \(reason)"
            case .closed: "the signaling socket closed"
            case .timeout: "no signaling message in time"
            }
        }
    }

    /// A `joined` with a full chat history and a subscribe offer of a large room are tens of
    /// KiB; the server allows 64 KiB.
    static let maximumFrameSize = 1 << 20

    private let socket: WebSocket
    private let inbox = SignalingInbox()

    init(host: String, port: UInt16, path: String = "/ws") throws {
        let group = NIOSingletons.posixEventLoopGroup
        let opened = group.any().makePromise(of: WebSocket.self)
        let inbox = inbox
        let connected = WebSocket.connect(
            to: "ws://\(host):\(port)\(path)", configuration: .init(maxFrameSize: Self.maximumFrameSize), on: group
        ) { socket in
            socket.onText { _, text in inbox.append(text) }
            socket.onClose.whenComplete { _ in inbox.close() }
            opened.succeed(socket)
        }
        do {
            try connected.wait()
            socket = try opened.futureResult.wait()
        } catch {
            opened.fail(error)
            throw Failure.connect("\(error)")
        }
    }

    deinit {
        _ = socket.close()
    }

    /// Sends one JSON object as a text frame, once it is written.
    func send(_ object: [String: Any]) throws {
        let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let written = socket.eventLoop.makePromise(of: Void.self)
        socket.send(text, promise: written)
        do {
            try written.futureResult.wait()
        } catch {
            throw Failure.closed
        }
    }

    /// The next JSON object the server sent, waiting at most `timeout` seconds.
    func receive(timeout: Double = 10) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let text = try inbox.take(until: deadline)
            if let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] { return object }
        }
    }

    /// Waits for a message of `type`, skipping others.
    func receive(type: String, timeout: Double = 10) throws -> [String: Any] {
        try receive(oneOf: [type], timeout: timeout)
    }

    /// Waits for a message of one of `types`, skipping others.
    func receive(oneOf types: Set<String>, timeout: Double = 10) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let message = try receive(timeout: max(0.01, deadline.timeIntervalSinceNow))
            if let type = message["type"] as? String, types.contains(type) { return message }
        }
    }
}

/// The text frames received and not yet taken, handed from the event loop to a waiting thread.
final class SignalingInbox: @unchecked Sendable {
    private let condition = NSCondition()
    private var texts: [String] = []
    private var isClosed = false

    func append(_ text: String) {
        condition.lock()
        texts.append(text)
        condition.signal()
        condition.unlock()
    }

    func close() {
        condition.lock()
        isClosed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The oldest text; throws once the socket closed with nothing left, or at `deadline`.
    func take(until deadline: Date) throws(SignalingSocket.Failure) -> String {
        condition.lock()
        defer { condition.unlock() }
        while texts.isEmpty {
            if isClosed { throw .closed }
            if !condition.wait(until: deadline) { throw .timeout }
        }
        return texts.removeFirst()
    }
}
