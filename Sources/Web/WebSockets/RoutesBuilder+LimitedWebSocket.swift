import Vapor

extension RoutesBuilder {
    /// A WebSocket route like Vapor's `webSocket`, whose incoming messages are bounded by
    /// `limits` as a whole, fragments included (see `WebSocketMessageLimiter`), and whose
    /// unread outgoing frames are too (see `WebSocketBacklogLimiter`), counted in `backlog`; each
    /// open socket is known to `Application.openWebSockets`, which closes them at shutdown.
    @discardableResult
    func limitedWebSocket(
        _ path: PathComponent..., limits: WebSocketLimits, backlog: WebSocketBacklogStatistics,
        shouldUpgrade: @escaping @Sendable (Request) async throws -> HTTPHeaders? = { _ in [:] },
        onUpgrade: @escaping @Sendable (Request, WebSocket) -> Void
    ) -> Route {
        on(.GET, path) { request -> Response in
            let response = Response(status: .switchingProtocols)
            response.upgrader = LimitedWebSocketUpgrader(
                limits: limits, backlog: backlog,
                shouldUpgrade: {
                    let promise = request.eventLoop.makePromise(of: HTTPHeaders?.self)
                    promise.completeWithTask { try await shouldUpgrade(request) }
                    return promise.futureResult
                },
                onUpgrade: { socket in
                    request.application.openWebSockets.add(socket)
                    onUpgrade(request, socket)
                })
            return response
        }
    }
}
