import NIOCore
import NIOWebSocket
import WebSocketKit

/// Bounds what the server holds for one WebSocket whose client does not read: the bytes of the
/// frames written to the channel and not yet handed to the kernel. A frame that would take them
/// past `WebSocketLimits.maximumPendingBytes` is dropped, the socket is closed with 1008 (policy
/// violation, RFC 6455 section 7.4.1) and, since a client that does not read will not read that
/// close frame either, the connection is cut off after a grace period.
///
/// Without it every send to such a client (a broadcast chat message, a peer's signal) joins
/// NIO's queue of pending writes, which has no limit of its own.
///
/// It sits in front of the frame encoder, so it sees each frame before it is encoded; a write
/// is done when its promise completes, on success or failure alike.
final class WebSocketBacklogLimiter: ChannelOutboundHandler {
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let maximumPendingBytes: Int
    private let statistics: WebSocketBacklogStatistics
    private var pendingBytes = 0
    private var overflowed = false
    private var closeFrameSent = false
    /// Set when websocket-kit hands the socket over, so the close goes through it and it knows
    /// it is closing.
    var socket: WebSocket?

    init(maximumPendingBytes: Int, statistics: WebSocketBacklogStatistics) {
        self.maximumPendingBytes = maximumPendingBytes
        self.statistics = statistics
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let frame = unwrapOutboundIn(data)
        if frame.opcode == .connectionClose {
            // One close frame, whoever sends it (RFC 6455 section 5.5.1); it is never refused, so
            // a client that reads again within the grace period learns why it is cut off.
            guard !closeFrameSent else {
                promise?.fail(WebSocketBacklogError.closing)
                return
            }
            closeFrameSent = true
            send(frame, context: context, promise: promise)
            return
        }
        guard !overflowed else {
            promise?.fail(WebSocketBacklogError.closing)
            return
        }
        guard pendingBytes + Self.encodedSize(frame) <= maximumPendingBytes else {
            overflow(context: context)
            promise?.fail(WebSocketBacklogError.clientNotReading)
            return
        }
        send(frame, context: context, promise: promise)
    }

    private func send(_ frame: WebSocketFrame, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let size = Self.encodedSize(frame)
        pendingBytes += size
        statistics.recordPending(pendingBytes)
        let written = promise ?? context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenComplete { _ in
            self.pendingBytes -= size
        }
        context.write(wrapOutboundOut(frame), promise: written)
    }

    private func overflow(context: ChannelHandlerContext) {
        overflowed = true
        statistics.recordClose()
        let channel = context.channel
        context.eventLoop.scheduleTask(in: WebSocketMessageLimiter.closeGracePeriod) {
            channel.close(promise: nil)
        }
        if let socket {
            socket.close(code: .policyViolation, promise: nil)
        } else {
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // The socket holds the channel, whose pipeline held this handler.
        socket = nil
    }

    /// The frame's bytes on the wire: a server's frames are not masked, so a 2-byte header and
    /// an extended length of 2 or 8 bytes past 125 and 65,535 bytes (RFC 6455 section 5.2).
    static func encodedSize(_ frame: WebSocketFrame) -> Int {
        let length = frame.length
        let header = length <= 125 ? 2 : length <= 65_535 ? 4 : 10
        return header + length
    }
}

/// Why a frame written to a WebSocket was dropped.
enum WebSocketBacklogError: Error {
    /// Its client had too much unread already; the socket is being closed.
    case clientNotReading
    /// The socket is already being closed.
    case closing
}

@available(*, unavailable)
extension WebSocketBacklogLimiter: Sendable {}
