import Relay

/// What a node carrying another node's media tells it back over the node channel, in the room
/// node's ids: the router events signaling acts on.
enum RemoteMediaEvent: Codable, Equatable, Sendable {
    /// Closed on its own (consent expired, DTLS failed, ...): why, in words.
    case transportClosed(TransportID, reason: String)
    case audioActivity([AudioActivity])
    case layerChanged(LayerChange)
    case linkFailed(NodeLinkID)
}
