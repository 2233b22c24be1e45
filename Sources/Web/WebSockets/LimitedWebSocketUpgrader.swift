import NIOCore
import NIOHTTP1
import NIOWebSocket
import Vapor

/// Vapor's `WebSocketUpgrader` with bounded messages: the same NIO server upgrader and
/// websocket-kit socket, with `WebSocketMessageLimiter` in front of the frame aggregator.
struct LimitedWebSocketUpgrader: Upgrader {
    let limits: WebSocketLimits
    let shouldUpgrade: @Sendable () -> EventLoopFuture<HTTPHeaders?>
    let onUpgrade: @Sendable (WebSocket) -> Void

    func applyUpgrade(req: Request, res: Response) -> any HTTPServerProtocolUpgrader {
        let limits = limits
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
                // Called on the channel's event loop, after NIO added the frame decoder; the
                // limiter goes right behind it, ahead of what websocket-kit adds next.
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(WebSocketMessageLimiter(limits: limits))
                }.flatMap {
                    WebSocket.server(on: channel, config: configuration, onUpgrade: onUpgrade)
                }
            })
    }
}
