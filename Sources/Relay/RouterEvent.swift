/// What the media plane tells signaling.
public enum RouterEvent: Sendable, Equatable {
    case transportConnected(TransportID)
    case transportClosed(TransportID, PeerTransportCloseReason)
    /// The first packet of a track arrived.
    case trackStarted(TrackID)
    /// Every `MediaRouter.activityInterval`, the audio tracks whose packets carried an audio
    /// level in that interval, for the room's dominant speaker.
    case audioActivity([AudioActivity])
    /// A subscriber now gets another layer of a video track, or its video of it was paused or
    /// resumed for bandwidth.
    case layerChanged(LayerChange)
    /// A relay link could not be opened (`MediaCommand.openLink`).
    case linkFailed(NodeLinkID)
}
