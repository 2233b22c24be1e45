/// The most a client may send on one WebSocket: a whole message, its fragments counted
/// together, and how many fragments it may come in. A message over either closes the socket
/// with 1009 (message too big) before more of it is kept.
public struct WebSocketLimits: Sendable, Equatable {
    /// Bytes of one message's payload, all its fragments together; also the largest frame.
    public var maximumMessageSize: Int
    /// Frames one message may be split into: each fragment costs the server a little beside its
    /// bytes, so a message of a million one-byte fragments is refused as well.
    public var maximumFragments: Int

    public init(maximumMessageSize: Int, maximumFragments: Int) {
        self.maximumMessageSize = maximumMessageSize
        self.maximumFragments = maximumFragments
    }

    /// `/ws`: twice what signaling decodes (`ClientMessage.maximumFrameLength`), so a message a
    /// little too large is still read and answered with `too-large` instead of a closed socket.
    public static let signaling = WebSocketLimits(
        maximumMessageSize: 2 * ClientMessage.maximumFrameLength, maximumFragments: 128)

    /// `/chat/ws`: one `{"text": ...}` of at most 500 characters fits several times over.
    public static let chat = WebSocketLimits(maximumMessageSize: 4096, maximumFragments: 16)
}
