import Vapor

/// `GET /ws`: the signaling WebSocket. Decodes each text frame and hands it to the registry;
/// a bad frame is answered with `error` and the socket stays open.
struct SignalingController: RouteCollection {
    let registry: RoomRegistry

    func boot(routes: any RoutesBuilder) throws {
        routes.webSocket("ws", maxFrameSize: .init(integerLiteral: ClientMessage.maximumFrameLength + 1024)) { _, socket in
            let connection = WebSocketConnection(socket: socket)
            socket.onText { _, text in
                do throws(SignalingError) {
                    let message = try ClientMessage.decode(text)
                    await registry.handle(message, from: connection)
                } catch {
                    connection.send(.error(error))
                }
            }
            socket.onBinary { _, _ in
                connection.send(.error(.invalidJSON))
            }
            socket.onClose.whenComplete { _ in
                Task { await registry.disconnected(connection) }
            }
        }
    }
}

/// A signaling connection over a Vapor WebSocket.
final class WebSocketConnection: SignalingConnection {
    let socket: WebSocket

    init(socket: WebSocket) {
        self.socket = socket
    }

    func send(_ message: ServerMessage) {
        socket.send(message.encoded())
    }
}
