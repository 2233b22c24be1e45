/// The most a client may send on one WebSocket: a whole message, its fragments counted
/// together, and how many fragments it may come in. A message over either closes the socket
/// with 1009 (message too big) before more of it is kept. And the most the server holds for a
/// client that does not read what it is sent: past it the socket is closed with 1008.
public struct WebSocketLimits: Sendable, Equatable {
    /// Bytes of one message's payload, all its fragments together; also the largest frame.
    public var maximumMessageSize: Int
    /// Frames one message may be split into: each fragment costs the server a little beside its
    /// bytes, so a message of a million one-byte fragments is refused as well.
    public var maximumFragments: Int
    /// Bytes of frames the server has written to the socket and the kernel has not yet taken,
    /// because the client reads them slower than they come (see `WebSocketBacklogLimiter`).
    /// Above the largest message the server sends on the socket, so one of those always fits.
    public var maximumPendingBytes: Int

    public init(maximumMessageSize: Int, maximumFragments: Int, maximumPendingBytes: Int) {
        self.maximumMessageSize = maximumMessageSize
        self.maximumFragments = maximumFragments
        self.maximumPendingBytes = maximumPendingBytes
    }

    /// `/ws`: twice what signaling decodes (`ClientMessage.maximumFrameLength`), so a message a
    /// little too large is still read and answered with `too-large` instead of a closed socket.
    /// Its largest outgoing message is a `joined` replaying 100 chat messages of up to 8 KiB,
    /// under 2 MiB even with every character JSON-escaped: the backlog allows twice that.
    public static let signaling = WebSocketLimits(
        maximumMessageSize: 2 * ClientMessage.maximumFrameLength, maximumFragments: 128,
        maximumPendingBytes: 4 * 1_048_576)

    /// `/chat/ws`: one `{"text": ...}` of at most 500 characters fits several times over. A
    /// message the chat sends is at most a few KiB: the backlog holds fifty of the largest.
    public static let chat = WebSocketLimits(maximumMessageSize: 4096, maximumFragments: 16, maximumPendingBytes: 256 * 1024)
}
