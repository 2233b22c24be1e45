import DTLS

/// Commands from signaling: the transports, tracks and subscriptions the router keeps.
extension MediaRouter {
    /// Carries out one command. Failures come back as events: a transport that cannot be
    /// created is reported closed with `.setupFailed`, so the participant learns its media
    /// cannot start instead of waiting on a transport that does not exist. A command about a
    /// transport or track already gone (removed, or closed on its own meanwhile) does nothing:
    /// signaling hears of that closing separately.
    public func execute(_ command: MediaCommand, now: UInt64, sink: some DatagramSink) {
        switch command {
        case .openTransport(let setup):
            do {
                try addTransport(setup)
            } catch {
                onEvent(.transportClosed(setup.id, .setupFailed(error)))
            }
        case .restartIce(let id, let local, let remote):
            restartIce(id, local: local, remote: remote)
        case .setRemoteCredentials(let remote, let id):
            transports[id]?.peer.setRemoteCredentials(remote)
        case .closeTransport(let id):
            removeTransport(id, sink: sink)
        case .addTrack(let description):
            addTrack(description)
        case .removeTrack(let id):
            removeTrack(id)
        case .subscribe(let request):
            subscribe(request, now: now, sink: sink)
        case .unsubscribe(let track, let transport):
            unsubscribe(track: track, transport: transport)
        case .setDisplaySize(let size, let track, let transport):
            setDisplaySize(size, track: track, transport: transport)
        case .setPriority(let priority, let track):
            setPriority(priority, track: track)
        case .mirrorTrack(let id, let pipe):
            mirror(id, through: pipe)
        case .stopMirroring(let id, let pipe):
            tracks[id]?.mirrors.removeAll { $0 === pipe }
        case .addMirroredTrack(let description, let pipe):
            addMirroredTrack(description, through: pipe)
        case .requestKeyframe(let id, let layer):
            if let track = tracks[id] { requestKeyframe(track, layer: layer, now: now, sink: sink) }
        case .openLink(let setup):
            openLink(setup)
        case .closeLink(let id):
            closeLink(id)
        case .sendOverLink(let track, let link, let number):
            sendOverLink(track, link: link, number: number)
        case .stopSendingOverLink(let track, let link):
            stopSendingOverLink(track, link: link)
        case .addLinkedTrack(let description, let link, let number):
            addLinkedTrack(description, link: link, number: number)
        }
    }

    /// Creates a transport that waits for the peer's ICE checks.
    public func addTransport(_ setup: TransportSetup) throws(TransportSetupError) {
        guard transports[setup.id] == nil else { throw .duplicate(setup.id) }
        let peer: PeerTransport
        do {
            peer = try PeerTransport(
                id: setup.id, localCredentials: setup.localCredentials, remoteCredentials: setup.remoteCredentials,
                dtlsContext: dtlsContext, remoteFingerprint: setup.remoteFingerprint)
        } catch {
            throw .dtls(error)
        }
        let transport = RoutedTransport(peer: peer, relaySsrc: relaySsrc, pacesVideo: pacesVideo)
        transports[setup.id] = transport
        transportsByUfrag[setup.localCredentials.ufrag] = transport
    }

    /// Gives a transport new ICE credentials. Checks from a new address find it by any ufrag
    /// its agent still accepts: the new one, and the old one while the peer may not have the
    /// new one yet.
    public func restartIce(_ id: TransportID, local: IceCredentials, remote: IceCredentials?) {
        guard let transport = transports[id] else { return }
        iceRestarts &+= 1
        transport.peer.restartIce(local: local, remote: remote)
        let accepted = Set(transport.peer.acceptedUfrags)
        transportsByUfrag = transportsByUfrag.filter { $0.value !== transport || accepted.contains($0.key) }
        for ufrag in accepted { transportsByUfrag[ufrag] = transport }
    }

    /// Removes a transport and everything it owned: its tracks and subscriptions.
    public func removeTransport(_ id: TransportID, sink: some DatagramSink) {
        guard let transport = transports[id] else { return }
        transport.peer.close(sink: sink)
        forget(transport)
    }

    public func addTrack(_ description: TrackDescription) {
        guard let transport = transports[description.transport], tracks[description.id] == nil else { return }
        let track = PublishedTrack(description: description)
        tracks[description.id] = track
        transport.publishing.add(track)
    }

    /// Sends every packet of `id` through `pipe` too, once, whatever the subscribers there get:
    /// a track published here, or one that arrives here over a relay link for this node's other
    /// workers too.
    public func mirror(_ id: TrackID, through pipe: WorkerPipe) {
        guard let track = tracks[id], !track.mirrors.contains(where: { $0 === pipe }) else { return }
        if case .worker = track.source { return }
        track.mirrors.append(pipe)
        if !outboundPipes.contains(where: { $0 === pipe }) { outboundPipes.append(pipe) }
    }

    /// A track published on worker `pipe.origin`, whose packets arrive through `pipe`.
    public func addMirroredTrack(_ description: TrackDescription, through pipe: WorkerPipe) {
        guard tracks[description.id] == nil else { return }
        tracks[description.id] = PublishedTrack(description: description, source: .worker(pipe.origin))
        if !inboundPipes.contains(where: { $0 === pipe }) { inboundPipes.append(pipe) }
    }

    public func removeTrack(_ id: TrackID) {
        guard let track = tracks.removeValue(forKey: id) else { return }
        transports[track.description.transport]?.publishing.remove(track)
        for subscription in track.subscriptions {
            subscription.subscriber.subscribing.remove(ssrc: subscription.ssrc)
        }
        track.subscriptions.removeAll()
    }

    /// Starts sending a track to a subscriber, and asks the publisher for a keyframe so the
    /// new subscriber can start decoding.
    public func subscribe(_ request: SubscriptionRequest, now: UInt64, sink: some DatagramSink) {
        guard let track = tracks[request.track], let subscriber = transports[request.transport] else { return }
        // The lowest layer first: it starts soonest, and the next layer checks move it up.
        let layers = track.layers.map {
            LayerAllocator.Layer(bitrate: $0.bitrate(at: now), width: $0.width, height: $0.height, isActive: $0.isActive(at: now))
        }
        let initialLayer = LayerAllocator.ladder(of: LayerAllocator.Request(layers: layers)).first ?? 0
        let subscription = Subscription(
            track: request.track, subscriber: subscriber, ssrc: request.ssrc, payloadType: request.payloadType,
            clockRate: track.description.clockRate,
            retransmission: request.rtx.map { Subscription.Retransmission(ssrc: $0.ssrc, payloadType: $0.payloadType) },
            pictureNumbering: track.codec?.pictureNumbering, initialLayer: initialLayer)
        track.subscriptions.append(subscription)
        subscriber.subscribing.add(subscription, now: now)
        requestKeyframe(track, layer: initialLayer, now: now, sink: sink)
    }

    /// The size a subscriber shows a track at: the layers it gets are chosen to fit it.
    public func setDisplaySize(_ size: DisplaySize, track id: TrackID, transport: TransportID) {
        guard let track = tracks[id] else { return }
        for subscription in track.subscriptions where subscription.subscriber.id == transport {
            subscription.displaySize = size
        }
    }

    /// How early `id`'s video is served when a subscriber's estimate is shared out: higher
    /// first (the room's active speaker).
    public func setPriority(_ priority: Int, track id: TrackID) {
        tracks[id]?.priority = priority
    }

    public func unsubscribe(track id: TrackID, transport: TransportID) {
        guard let track = tracks[id] else { return }
        track.subscriptions.removeAll { subscription in
            guard subscription.subscriber.id == transport else { return false }
            subscription.subscriber.subscribing.remove(ssrc: subscription.ssrc)
            return true
        }
    }
}
