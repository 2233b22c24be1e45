import Relay

/// A media command for a worker of another node, as it crosses the node channel: the commands a
/// room's node sends to the node that carries some of its participants' media. Ids are the room
/// node's; the carrying node maps them into its own (`HostedMedia`).
enum RemoteMediaCommand: Codable, Equatable, Sendable {
    case openTransport(TransportSetup)
    case restartIce(TransportID, local: IceCredentials, remote: IceCredentials?)
    case setRemoteCredentials(IceCredentials, transport: TransportID)
    case closeTransport(TransportID)
    case addTrack(TrackDescription)
    case removeTrack(TrackID)
    case subscribe(SubscriptionRequest)
    case unsubscribe(track: TrackID, transport: TransportID)
    case setDisplaySize(DisplaySize, track: TrackID, transport: TransportID)
    case setPriority(Int, track: TrackID)
    case openLink(NodeLinkSetup)
    case closeLink(NodeLinkID)
    case sendOverLink(TrackID, link: NodeLinkID, number: UInt32)
    case stopSendingOverLink(TrackID, link: NodeLinkID)
    case addLinkedTrack(TrackDescription, link: NodeLinkID, number: UInt32)

    /// The command as it crosses, nil for those that only make sense within one process (the
    /// pipes between its workers).
    init?(_ command: MediaCommand) {
        switch command {
        case .openTransport(let setup): self = .openTransport(setup)
        case .restartIce(let id, let local, let remote): self = .restartIce(id, local: local, remote: remote)
        case .setRemoteCredentials(let credentials, let transport): self = .setRemoteCredentials(credentials, transport: transport)
        case .closeTransport(let id): self = .closeTransport(id)
        case .addTrack(let description): self = .addTrack(description)
        case .removeTrack(let id): self = .removeTrack(id)
        case .subscribe(let request): self = .subscribe(request)
        case .unsubscribe(let track, let transport): self = .unsubscribe(track: track, transport: transport)
        case .setDisplaySize(let size, let track, let transport): self = .setDisplaySize(size, track: track, transport: transport)
        case .setPriority(let priority, let track): self = .setPriority(priority, track: track)
        case .openLink(let setup): self = .openLink(setup)
        case .closeLink(let id): self = .closeLink(id)
        case .sendOverLink(let track, let link, let number): self = .sendOverLink(track, link: link, number: number)
        case .stopSendingOverLink(let track, let link): self = .stopSendingOverLink(track, link: link)
        case .addLinkedTrack(let description, let link, let number): self = .addLinkedTrack(description, link: link, number: number)
        case .mirrorTrack, .stopMirroring, .addMirroredTrack, .requestKeyframe: return nil
        }
    }
}
