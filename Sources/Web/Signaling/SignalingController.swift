import Relay
import Synchronization
import Vapor

/// `GET /ws`: the signaling WebSocket. Each text frame passes a per-connection rate limit, is
/// decoded and handed to the registry in the order it arrived; a bad or throttled frame is
/// answered with `error` and the socket stays open.
///
/// Messages up to `WebSocketLimits.signaling` (128 KiB, fragments included) are read and, past
/// `ClientMessage.maximumFrameLength`, answered with `too-large`; a larger one closes the socket
/// (1009, message too big) before more of it is kept. A client that leaves more than
/// `WebSocketLimits.signaling.maximumPendingBytes` unread is closed with 1008.
struct SignalingController: RouteCollection {
    let registry: RoomRegistry
    /// Checked before the upgrade: a foreign page gets 403.
    let origins: OriginPolicy
    /// Counts sockets closed for not reading what they are sent.
    let backlog: WebSocketBacklogStatistics

    func boot(routes: any RoutesBuilder) throws {
        let rate = registry.configuration
        let sockets = SocketsPerAddress(limit: rate.maximumSocketsPerAddress)
        let joins = AttemptRateLimiter(limitPerMinute: rate.joinsPerMinutePerAddress)
        routes.grouped(OriginCheckMiddleware(policy: origins)).limitedWebSocket("ws", limits: .signaling, backlog: backlog) { request, socket in
            let address = Self.address(of: request)
            // Refused after the upgrade, so a browser hears why (a failed handshake tells it
            // nothing): the close code is 1008, policy violation.
            guard sockets.hasRoom(for: address) else {
                socket.send(ServerMessage.error(.tooManySockets(limit: sockets.limit)).encoded())
                socket.close(code: .policyViolation, promise: nil)
                return
            }
            sockets.opened(address)
            let connection = WebSocketConnection(socket: socket, count: registry.socketCount)
            let bucket = Mutex(TokenBucket(refillPerSecond: rate.messagesPerSecond, capacity: rate.messageBurst))
            let (frames, input) = AsyncStream.makeStream(of: String.self)
            @Sendable func admitted() -> Bool {
                guard bucket.withLock({ $0.take(at: Monotonic.now()) }) else {
                    connection.send(.error(.rateLimited))
                    return false
                }
                return true
            }
            // The synchronous callbacks keep the frames in order; one task hands them on.
            socket.onText { _, text in
                if admitted() { input.yield(text) }
            }
            socket.onBinary { _, _ in
                if admitted() { connection.send(.error(.invalidJSON)) }
            }
            socket.onClose.whenComplete { _ in
                sockets.closed(address)
                input.finish()
                // A socket keeps its callbacks as long as it lives, and these hold the
                // connection, which holds the socket: without letting go of them here, every
                // socket ever opened would stay in memory.
                socket.onText { _, _ in }
                socket.onBinary { _, _ in }
            }
            Task {
                for await text in frames {
                    do throws(SignalingError) {
                        let message = try ClientMessage.decode(text)
                        switch message {
                        case .join, .resume:
                            guard await joins.admit(address) else { throw .rateLimited }
                        default:
                            break
                        }
                        await registry.handle(message, from: connection)
                    } catch {
                        connection.send(.error(error))
                    }
                }
                await registry.connectionLost(connection)
            }
        }
    }
}

extension SignalingController {
    /// The client's IP address, which the per-address limits count by.
    static func address(of request: Request) -> String {
        request.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// A signaling connection over a Vapor WebSocket.
final class WebSocketConnection: SignalingConnection {
    let socket: WebSocket
    private let count: SignalingSocketCount

    init(socket: WebSocket, count: SignalingSocketCount) {
        self.socket = socket
        self.count = count
        count.opened()
    }

    deinit {
        count.freed()
    }

    func send(_ message: ServerMessage) {
        socket.send(message.encoded())
    }
}
