import Relay

/// The media this node carries for other nodes' rooms: their transports, tracks and links, each
/// under an id of this node's own, drawn far above those its own rooms use (from 2^62) so the
/// two never meet, and mapped back for the events it sends them.
struct HostedMedia {
    static let firstIdentifier: UInt64 = 1 << 62

    struct Origin: Hashable {
        let node: String
        let id: UInt64
    }

    private var next = firstIdentifier
    private var transports: [Origin: TransportID] = [:]
    private var tracks: [Origin: TrackID] = [:]
    private var links: [Origin: NodeLinkID] = [:]
    private var originOfTransport: [TransportID: Origin] = [:]
    private var originOfTrack: [TrackID: Origin] = [:]
    private var originOfLink: [NodeLinkID: Origin] = [:]
    /// The worker each hosted transport and link is on, to close them all when their node is gone.
    private var workerOfTransport: [TransportID: Int] = [:]
    private var workerOfLink: [NodeLinkID: Int] = [:]

    static func isHosted(_ id: UInt64) -> Bool { id >= firstIdentifier }

    /// Participants carried for other nodes: each has a publish and a subscribe transport.
    var participants: Int { (transports.count + 1) / 2 }

    /// The nodes this one carries media for.
    var nodes: Set<String> { Set(transports.keys.map(\.node)).union(links.keys.map(\.node)) }

    private mutating func draw() -> UInt64 {
        defer { next += 1 }
        return next
    }

    /// `command` from `node` for worker `worker`, in this node's ids; nil when it names what
    /// this node does not hold (closed meanwhile).
    mutating func translate(_ command: RemoteMediaCommand, from node: String, worker: Int) -> MediaCommand? {
        func transport(_ id: TransportID) -> TransportID? { transports[Origin(node: node, id: id.value)] }
        func track(_ id: TrackID) -> TrackID? { tracks[Origin(node: node, id: id.value)] }
        func link(_ id: NodeLinkID) -> NodeLinkID? { links[Origin(node: node, id: id.value)] }
        switch command {
        case .openTransport(var setup):
            let origin = Origin(node: node, id: setup.id.value)
            guard transports[origin] == nil else { return nil }
            let id = TransportID(draw())
            transports[origin] = id
            originOfTransport[id] = origin
            workerOfTransport[id] = worker
            setup.id = id
            return .openTransport(setup)
        case .restartIce(let id, let local, let remote):
            return transport(id).map { .restartIce($0, local: local, remote: remote) }
        case .setRemoteCredentials(let credentials, let id):
            return transport(id).map { .setRemoteCredentials(credentials, transport: $0) }
        case .closeTransport(let id):
            guard let local = transport(id) else { return nil }
            forget(transport: local)
            return .closeTransport(local)
        case .addTrack(var description):
            guard let owner = transport(description.transport) else { return nil }
            description.transport = owner
            description.id = newTrack(description.id, from: node)
            return .addTrack(description)
        case .removeTrack(let id):
            guard let local = track(id) else { return nil }
            forget(track: local)
            return .removeTrack(local)
        case .subscribe(var request):
            guard let localTrack = track(request.track), let localTransport = transport(request.transport) else { return nil }
            request.track = localTrack
            request.transport = localTransport
            return .subscribe(request)
        case .unsubscribe(let id, let subscriber):
            guard let localTrack = track(id), let localTransport = transport(subscriber) else { return nil }
            return .unsubscribe(track: localTrack, transport: localTransport)
        case .setDisplaySize(let size, let id, let subscriber):
            guard let localTrack = track(id), let localTransport = transport(subscriber) else { return nil }
            return .setDisplaySize(size, track: localTrack, transport: localTransport)
        case .setPriority(let priority, let id):
            return track(id).map { .setPriority(priority, track: $0) }
        case .openLink(var setup):
            let origin = Origin(node: node, id: setup.id.value)
            guard links[origin] == nil else { return nil }
            let id = NodeLinkID(draw())
            links[origin] = id
            originOfLink[id] = origin
            workerOfLink[id] = worker
            setup.id = id
            return .openLink(setup)
        case .closeLink(let id):
            guard let local = link(id) else { return nil }
            forget(link: local)
            return .closeLink(local)
        case .sendOverLink(let id, let linkID, let number):
            guard let localTrack = track(id), let localLink = link(linkID) else { return nil }
            return .sendOverLink(localTrack, link: localLink, number: number)
        case .stopSendingOverLink(let id, let linkID):
            guard let localTrack = track(id), let localLink = link(linkID) else { return nil }
            return .stopSendingOverLink(localTrack, link: localLink)
        case .addLinkedTrack(var description, let linkID, let number):
            guard let localLink = link(linkID) else { return nil }
            // Published on another node: no transport here is its publisher's.
            description.transport = TransportID(0)
            description.id = newTrack(description.id, from: node)
            return .addLinkedTrack(description, link: localLink, number: number)
        }
    }

    private mutating func newTrack(_ id: TrackID, from node: String) -> TrackID {
        let origin = Origin(node: node, id: id.value)
        if let existing = tracks[origin] { return existing }
        let local = TrackID(draw())
        tracks[origin] = local
        originOfTrack[local] = origin
        return local
    }

    /// A router event about hosted media that signaling acts on, for the node it belongs to in
    /// that node's ids; nil for this node's own media and for events no one acts on. Audio
    /// activity of both kinds is split by `split`.
    func translate(_ event: RouterEvent) -> (node: String, event: RemoteMediaEvent)? {
        switch event {
        case .transportConnected, .trackStarted, .audioActivity:
            return nil
        case .transportClosed(let id, let reason):
            return originOfTransport[id].map { ($0.node, .transportClosed(TransportID($0.id), reason: String(describing: reason))) }
        case .layerChanged(var change):
            guard let track = originOfTrack[change.track], let subscriber = originOfTransport[change.subscriber] else { return nil }
            change.track = TrackID(track.id)
            change.subscriber = TransportID(subscriber.id)
            return (track.node, .layerChanged(change))
        case .linkFailed(let id):
            return originOfLink[id].map { ($0.node, .linkFailed(NodeLinkID($0.id))) }
        }
    }

    /// Audio activity split into this node's own and each other node's, in that node's ids.
    func split(_ activity: [AudioActivity]) -> (own: [AudioActivity], hosted: [String: [AudioActivity]]) {
        var own: [AudioActivity] = []
        var hosted: [String: [AudioActivity]] = [:]
        for var interval in activity {
            if let origin = originOfTrack[interval.track] {
                interval.track = TrackID(origin.id)
                hosted[origin.node, default: []].append(interval)
            } else {
                own.append(interval)
            }
        }
        return (own, hosted)
    }

    /// A hosted transport closed on its own: its ids are forgotten once its node heard.
    mutating func forget(transport id: TransportID) {
        guard let origin = originOfTransport.removeValue(forKey: id) else { return }
        transports[origin] = nil
        workerOfTransport[id] = nil
    }

    mutating func forget(track id: TrackID) {
        guard let origin = originOfTrack.removeValue(forKey: id) else { return }
        tracks[origin] = nil
    }

    mutating func forget(link id: NodeLinkID) {
        guard let origin = originOfLink.removeValue(forKey: id) else { return }
        links[origin] = nil
        workerOfLink[id] = nil
    }

    /// Everything carried for `node`, which is gone: the commands that close it, by worker.
    mutating func release(_ node: String) -> [Int: [MediaCommand]] {
        var commands: [Int: [MediaCommand]] = [:]
        for (origin, id) in links where origin.node == node {
            commands[workerOfLink[id] ?? 0, default: []].append(.closeLink(id))
            forget(link: id)
        }
        for (origin, id) in transports where origin.node == node {
            commands[workerOfTransport[id] ?? 0, default: []].append(.closeTransport(id))
            forget(transport: id)
        }
        for (origin, id) in tracks where origin.node == node { forget(track: id) }
        return commands
    }
}
