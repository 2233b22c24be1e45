import Synchronization
import Vapor

/// The WebSockets open on the application (`/ws`, `/chat/ws`), so a server that is stopping can
/// close them: its plain HTTP connections end once their requests are answered, upgraded ones
/// would keep it waiting for their clients.
public final class OpenWebSockets: Sendable {
    private let sockets = Mutex<[ObjectIdentifier: WebSocket]>([:])

    func add(_ socket: WebSocket) {
        let key = ObjectIdentifier(socket)
        sockets.withLock { $0[key] = socket }
        socket.onClose.whenComplete { [weak self] _ in
            _ = self?.sockets.withLock { $0.removeValue(forKey: key) }
        }
    }

    public var count: Int { sockets.withLock { $0.count } }

    /// Closes every one with 1001 (going away), waiting at most `timeout` for their clients to
    /// answer the close.
    public func closeAll(timeout: Duration = .seconds(1)) async {
        for socket in sockets.withLock({ Array($0.values) }) { socket.close(code: .goingAway, promise: nil) }
        let deadline = ContinuousClock.now + timeout
        while count > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

extension Application {
    private struct OpenWebSocketsKey: StorageKey {
        typealias Value = OpenWebSockets
    }

    /// The application's open WebSockets; made by `configure`, before the server runs.
    public var openWebSockets: OpenWebSockets {
        if let open = storage[OpenWebSocketsKey.self] {
            return open
        }
        let open = OpenWebSockets()
        storage[OpenWebSocketsKey.self] = open
        return open
    }
}
