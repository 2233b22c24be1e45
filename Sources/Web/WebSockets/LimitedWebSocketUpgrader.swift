import NIOCore
import NIOHTTP1
import NIOWebSocket
import Vapor

/// Vapor's `WebSocketUpgrader` with bounded messages: the same NIO server upgrader and
/// websocket-kit socket, with `WebSocketMessageLimiter` in front of the frame aggregator and
/// `WebSocketBacklogLimiter` in front of the frame encoder.
struct LimitedWebSocketUpgrader: Upgrader {
    let limits: WebSocketLimits
    let backlog: WebSocketBacklogStatistics
    let shouldUpgrade: @Sendable () -> EventLoopFuture<HTTPHeaders?>
    let onUpgrade: @Sendable (WebSocket) -> Void

    func applyUpgrade(req: Request, res: Response) -> any HTTPServerProtocolUpgrader {
        let limits = limits
        let backlog = backlog
        let onUpgrade = onUpgrade
        let shouldUpgrade = shouldUpgrade
        // The aggregator's own limits can never be reached first (the limiter refuses the same
        // message sooner); they stay as a backstop, since its errors close with 1011, not 1009.
        let configuration = {
            var configuration = WebSocket.Configuration()
            configuration.maxAccumulatedFrameSize = limits.maximumMessageSize
            configuration.maxAccumulatedFrameCount = limits.maximumFragments + 1
            return configuration
        }()
        return NIOWebSocketServerUpgrader(
            maxFrameSize: limits.maximumMessageSize, automaticErrorHandling: false,
            shouldUpgrade: { _, _ in shouldUpgrade() },
            upgradePipelineHandler: { channel, _ in
                // Called on the channel's event loop, after NIO added the frame encoder and
                // decoder; the limiters go right behind them, ahead of what websocket-kit adds
                // next, so they see every frame it reads and writes.
                channel.eventLoop.makeCompletedFuture {
                    let backlogLimiter = WebSocketBacklogLimiter(
                        maximumPendingBytes: limits.maximumPendingBytes, statistics: backlog)
                    try channel.pipeline.syncOperations.addHandlers(
                        WebSocketMessageLimiter(limits: limits), backlogLimiter)
                    return NIOLoopBound(backlogLimiter, eventLoop: channel.eventLoop)
                }.flatMap { backlogLimiter in
                    // websocket-kit calls this on the event loop, once its handlers are in.
                    WebSocket.server(on: channel, config: configuration) { socket in
                        backlogLimiter.value.socket = socket
                        onUpgrade(socket)
                    }
                }
            })
    }
}
