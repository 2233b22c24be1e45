import NIOCore
import NIOWebSocket

/// Counts each incoming WebSocket message as its frames arrive and closes the socket with 1009
/// (message too big) the moment one outgrows its `WebSocketLimits`.
///
/// It sits between NIO's frame decoder and websocket-kit's frame aggregator. websocket-kit
/// 2.16 sets the aggregator up with no limit (`maxAccumulatedFrameSize: Int.max`) and Vapor's
/// upgrader gives no way to change that, so without this handler a client can send one message
/// as endless fragments, each under the frame limit, and the server keeps every byte.
///
/// Once a message is refused, data frames are dropped unread; control frames pass so the close
/// handshake can finish, and a peer that does not finish it is cut off after a grace period.
final class WebSocketMessageLimiter: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    /// How long a peer has to answer the server's close frame before the connection is closed.
    static let closeGracePeriod = TimeAmount.seconds(2)

    private let limits: WebSocketLimits
    private var messageSize = 0
    private var fragments = 0
    private var refused = false

    init(limits: WebSocketLimits) {
        self.limits = limits
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary, .continuation:
            guard !refused else { return }
            if frame.opcode == .continuation {
                messageSize += frame.length
                fragments += 1
            } else {
                messageSize = frame.length
                fragments = 1
            }
            guard messageSize <= limits.maximumMessageSize, fragments <= limits.maximumFragments else {
                refuse(context: context)
                return
            }
            if frame.fin {
                messageSize = 0
                fragments = 0
            }
            context.fireChannelRead(data)
        default:
            context.fireChannelRead(data)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The frame decoder refused a frame (over the frame limit, or malformed): it decodes
        // nothing after that, so the peer's close frame would never be read.
        if error is NIOWebSocketError {
            refused = true
            cutOffLater(context: context)
        }
        context.fireErrorCaught(error)
    }

    private func refuse(context: ChannelHandlerContext) {
        refused = true
        // websocket-kit answers this error with a close frame carrying 1009 (message too big).
        context.fireErrorCaught(NIOWebSocketError.invalidFrameLength)
        cutOffLater(context: context)
    }

    private func cutOffLater(context: ChannelHandlerContext) {
        let channel = context.channel
        context.eventLoop.scheduleTask(in: Self.closeGracePeriod) {
            channel.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension WebSocketMessageLimiter: Sendable {}
