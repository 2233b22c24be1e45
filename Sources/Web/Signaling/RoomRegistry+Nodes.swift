import DTLS
import Relay

/// Rooms across nodes. A node that carries its participant budget already places the media of
/// its rooms' newcomers on another node: signaling stays here, and this node drives the other
/// node's worker as one of its own, with the same commands sent over the node channel
/// (`NodeChannel`), and hears its events back. Between two places, each track crosses a relay
/// link once. In turn, this node carries media for other nodes' rooms (`HostedMedia`).
extension RoomRegistry {
    func useSpan(_ span: ClusterSpan) {
        self.span = span
    }

    /// Participants as this node's load counts them: those it signals for, and those whose media
    /// it carries for other nodes.
    public var loadParticipantCount: Int { participants.count + hosted.participants }

    /// Sends `commands` to the worker at `location`: one of this node's, or another node's over
    /// the node channel.
    func send(_ commands: [MediaCommand], to location: MediaLocation) {
        guard !commands.isEmpty else { return }
        guard let node = location.node else {
            media?.workers[location.worker].send(commands)
            return
        }
        let remote = commands.compactMap(RemoteMediaCommand.init)
        if !remote.isEmpty { span?.send(node, .commands(worker: location.worker, remote)) }
    }

    /// A message from another node: commands for the media carried here for its rooms, or
    /// events of the media carried there for this node's.
    func receive(_ message: NodeMessage) async {
        guard let media else { return }
        switch message.body {
        case .commands(let worker, let commands):
            guard media.workers.indices.contains(worker) else { return }
            let local = commands.compactMap { hosted.translate($0, from: message.from, worker: worker) }
            if !local.isEmpty { media.workers[worker].send(local) }
        case .events(let events):
            for event in events { await handle(event, from: message.from) }
        }
    }

    private func handle(_ event: RemoteMediaEvent, from node: String) async {
        switch event {
        case .transportClosed(let transport, let reason):
            // Only a node that carries the transport may say it closed.
            guard let id = participantByTransport[transport], mediaByParticipant[id]?.location.node == node else { return }
            await mediaClosed(transport, reason: reason)
        case .audioActivity(let activity):
            audioActivity(activity.filter { isCarried($0.track, by: node) }, at: Monotonic.now())
        case .layerChanged(let change):
            guard let id = participantByTransport[change.subscriber], mediaByParticipant[id]?.location.node == node else { return }
            layerChanged(change)
        case .linkFailed(let link):
            logger.error("cluster: a relay link could not be opened", metadata: ["node": .string(node), "link": .stringConvertible(link.value)])
        }
    }

    private func isCarried(_ track: TrackID, by node: String) -> Bool {
        ownerByTrack[track].flatMap { mediaByParticipant[$0]?.location.node } == node
    }

    /// The live nodes, after each heartbeat. Media carried here for a node that is gone is
    /// closed; a participant whose media was on a node that is gone is sent back to its room's
    /// node, this one (`moved`), whose page then joins again and has its media placed anew.
    func spanNodesChanged(_ nodes: [ClusterNode]) {
        spanNodes = nodes
        guard let span else { return }
        let live = Set(nodes.map(\.id))
        for node in hosted.nodes where !live.contains(node) {
            logger.warning("cluster: closing the media carried for a node that is gone", metadata: ["node": .string(node)])
            for (worker, commands) in hosted.release(node) { media?.workers[worker].send(commands) }
        }
        for (id, state) in mediaByParticipant {
            guard let node = state.location.node, !live.contains(node), let participant = participants[id] else { continue }
            logger.warning("cluster: the node with this participant's media is gone", metadata: metadata(of: id, ["node": .string(node)]))
            participant.connection.send(.moved(room: participant.room, node: span.nodeID, url: span.publicURL))
        }
    }

    /// Participants whose media this node carries: its own rooms' and other nodes'.
    private var carriedHere: Int {
        mediaByParticipant.values.count { $0.location.isHere } + hosted.participants
    }

    /// Where a newcomer of `room` has its media when this node carries its budget already: on
    /// the node that carries some of the room already, else on the live node that reported the
    /// fewest participants; nil to keep it here.
    func remoteLocation(for room: CallRoom) -> MediaLocation? {
        guard let span, let budget = span.participantBudget, carriedHere >= budget else { return nil }
        let usable = spanNodes.filter { node in
            node.id != span.nodeID && !node.draining && endpoint(of: MediaLocation(node: node.id, worker: 0)) != nil
        }
        for member in room.order {
            if let location = mediaByParticipant[member]?.location, let node = location.node, usable.contains(where: { $0.id == node }) {
                return location
            }
        }
        return usable.min { ($0.load.participants, $0.id) < ($1.load.participants, $1.id) }.map { MediaLocation(node: $0.id, worker: 0) }
    }

    /// The host candidates and certificate fingerprint of the worker at `location`, for the SDP
    /// of the participants whose media is there; nil when another node's are unknown.
    func endpoint(of location: MediaLocation) -> (candidates: [TransportAddress], fingerprint: CertificateFingerprint)? {
        guard let node = location.node else {
            guard let media, media.workers.indices.contains(location.worker) else { return nil }
            return (media.candidates(ofWorker: location.worker), media.fingerprint)
        }
        guard let entry = spanNodes.first(where: { $0.id == node }), entry.mediaPorts.indices.contains(location.worker),
            let port = UInt16(exactly: entry.mediaPorts[location.worker]),
            let text = entry.mediaFingerprint, let fingerprint = try? CertificateFingerprint(sdpValue: text)
        else { return nil }
        let candidates = entry.mediaAddresses.compactMap { TransportAddress(ip: $0, port: port) }
        return candidates.isEmpty ? nil : (candidates, fingerprint)
    }

    /// Sends `track` from `origin` to `consumer` over the relay link between them, opened first
    /// if this is its first track. False when either end's media address is unknown.
    func carryOverLink(_ track: TrackDescription, from origin: MediaLocation, to consumer: MediaLocation) -> Bool {
        let ends = SpanLink.Ends(origin, consumer)
        guard var link = spanLinks[ends] ?? openSpanLink(ends) else { return false }
        let number = link.nextNumber
        link.nextNumber += 1
        link.numbers[track.id] = number
        spanLinks[ends] = link
        send([.addLinkedTrack(track, link: link.id, number: number)], to: consumer)
        send([.sendOverLink(track.id, link: link.id, number: number)], to: origin)
        return true
    }

    /// Stops `track` on its link; a link left with no track is closed at both ends.
    func stopCarryingOverLink(_ track: TrackID, from origin: MediaLocation, to consumer: MediaLocation) {
        let ends = SpanLink.Ends(origin, consumer)
        guard var link = spanLinks[ends], link.numbers.removeValue(forKey: track) != nil else { return }
        send([.stopSendingOverLink(track, link: link.id)], to: origin)
        send([.removeTrack(track)], to: consumer)
        if link.numbers.isEmpty {
            send([.closeLink(link.id)], to: ends.first)
            send([.closeLink(link.id)], to: ends.second)
            spanLinks[ends] = nil
        } else {
            spanLinks[ends] = link
        }
    }

    /// A new link between two places, both ends told its keys and each other's address.
    private func openSpanLink(_ ends: SpanLink.Ends) -> SpanLink? {
        guard let first = endpoint(of: ends.first)?.candidates.first, let second = endpoint(of: ends.second)?.candidates.first
        else { return nil }
        let setup = NodeLinkSetup.random(id: NodeLinkID(nextLinkIdentifier), remote: second)
        nextLinkIdentifier += 1
        send([.openLink(setup)], to: ends.first)
        send([.openLink(setup.reversed(remote: first))], to: ends.second)
        return SpanLink(id: setup.id)
    }
}
