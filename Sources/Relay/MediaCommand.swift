/// What signaling asks a media worker to do. A worker runs its commands on its own thread, in
/// the order they were sent; one that cannot be carried out is reported as a `RouterEvent`
/// (a transport that cannot be created closes with `.setupFailed`), never dropped in silence.
public enum MediaCommand: Sendable, Equatable {
    /// Creates a transport that waits for the client's ICE checks.
    case openTransport(TransportSetup)
    /// An ICE restart on a transport: new local credentials, and the peer's when they are known
    /// (the peer offered it); the path, DTLS and SRTP stay.
    case restartIce(TransportID, local: IceCredentials, remote: IceCredentials?)
    /// The peer's new credentials, from its answer to an ICE restart the relay offered.
    case setRemoteCredentials(IceCredentials, transport: TransportID)
    /// Removes a transport and everything it owns: its tracks and subscriptions.
    case closeTransport(TransportID)
    /// Receives a track on the publish transport its description names.
    case addTrack(TrackDescription)
    case removeTrack(TrackID)
    /// Starts sending a track to a subscribe transport.
    case subscribe(SubscriptionRequest)
    case unsubscribe(track: TrackID, transport: TransportID)
    /// The size the subscriber on `transport` shows `track` at; the layer it gets fits it.
    case setDisplaySize(DisplaySize, track: TrackID, transport: TransportID)
    /// How early this track is served when a subscriber's bandwidth is shared out: higher
    /// first (the active speaker's video); 0 by default.
    case setPriority(Int, track: TrackID)
    /// A room spread over workers: every packet of `track`, published here, also goes through
    /// the pipe to its consumer worker, which fans it out to its own subscribers.
    case mirrorTrack(TrackID, through: WorkerPipe)
    case stopMirroring(TrackID, through: WorkerPipe)
    /// The consumer's side: a track published on another worker, whose packets arrive through
    /// the pipe; subscribing to it here is as to a track published here. `removeTrack` ends it.
    case addMirroredTrack(TrackDescription, through: WorkerPipe)
    /// A subscriber of a mirrored track on another worker asked for a keyframe of `layer`.
    case requestKeyframe(TrackID, layer: Int)
    /// A relay link to a worker of another node (`NodeLink`); `closeLink` also ends the tracks
    /// that arrived over it.
    case openLink(NodeLinkSetup)
    case closeLink(NodeLinkID)
    /// Every packet of `track` also goes over the link, as the track numbered `number` on it.
    case sendOverLink(TrackID, link: NodeLinkID, number: UInt32)
    case stopSendingOverLink(TrackID, link: NodeLinkID)
    /// The other end's side: a track published on another node whose packets arrive over the
    /// link as its track `number`; subscribing to it here is as to a track published here.
    /// `removeTrack` ends it.
    case addLinkedTrack(TrackDescription, link: NodeLinkID, number: UInt32)
}
