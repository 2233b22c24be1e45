/// What the media plane tells signaling.
public enum RouterEvent: Sendable, Equatable {
    case transportConnected(TransportID)
    case transportClosed(TransportID, PeerTransportCloseReason)
    /// The first packet of a track arrived.
    case trackStarted(TrackID)
}
