import DTLS
import Relay
import SDP

/// Sfu mode: the registry negotiates each participant's publish and subscribe connections and
/// tells the room's media worker what to create, route and remove.
extension RoomRegistry {
    /// Reads the media plane's events until it stops: a transport that closed on its own
    /// (consent expired, DTLS failed) takes its participant out of the room; audio activity
    /// feeds each room's dominant speaker.
    public func consumeMediaEvents() async {
        guard let media else { return }
        for await event in media.events {
            await handle(event)
        }
    }

    /// One event of a worker of this node: about media carried for another node, it goes there
    /// (`RoomRegistry+Nodes`); about this node's own, it is acted on.
    func handle(_ event: RouterEvent) async {
        if case .audioActivity(let activity) = event, span != nil {
            let (own, others) = hosted.split(activity)
            for (node, intervals) in others { span?.send(node, .events([.audioActivity(intervals)])) }
            if !own.isEmpty { audioActivity(own, at: Monotonic.now()) }
            return
        }
        if let translated = hosted.translate(event) {
            if case .transportClosed(let id, _) = event { hosted.forget(transport: id) }
            span?.send(translated.node, .events([translated.event]))
            return
        }
        switch event {
        case .transportClosed(let transport, let reason) where reason != .removed:
            await mediaClosed(transport, reason: String(describing: reason))
        case .audioActivity(let activity):
            audioActivity(activity, at: Monotonic.now())
        case .layerChanged(let change):
            layerChanged(change)
        default:
            break
        }
    }

    /// A participant's transport closed on its own (consent expired, DTLS failed): the
    /// participant leaves, told why.
    func mediaClosed(_ transport: TransportID, reason: String) async {
        guard let id = participantByTransport[transport], let participant = participants[id] else { return }
        logger.warning(
            "media connection closed", metadata: metadata(of: id, ["transport": .stringConvertible(transport.value), "reason": .string(reason)]))
        participant.connection.send(.error(.mediaClosed(reason)))
        await disconnected(participant.connection)
    }

    /// The worker for a new room: the one with the fewest participants on it (a spread room
    /// puts some on every worker), then the fewest rooms.
    func leastLoadedWorker() -> Int {
        guard let media, media.workers.count > 1 else { return 0 }
        let participants = participantsPerWorker(media.workers.count)
        var roomCount = [Int](repeating: 0, count: media.workers.count)
        for room in rooms.values { roomCount[room.worker] += 1 }
        return participants.indices.min { (participants[$0], roomCount[$0]) < (participants[$1], roomCount[$1]) } ?? 0
    }

    /// Gives a participant of an sfu room its transports and offers it the room's tracks.
    func prepareMedia(for participant: Participant, location: MediaLocation) {
        let publish = TransportID(nextMediaIdentifier)
        let subscribe = TransportID(nextMediaIdentifier + 1)
        nextMediaIdentifier += 2
        guard let endpoint = endpoint(of: location) else { return }
        var state = ParticipantMedia(
            location: location, candidates: endpoint.candidates, fingerprint: endpoint.fingerprint, transports: (publish, subscribe))
        for other in rooms[participant.room]?.order ?? [] where other != participant.id {
            for track in mediaByParticipant[other]?.published.values.sorted(by: { $0.id.value < $1.id.value }) ?? [] {
                state.subscribe.add(track)
            }
        }
        mediaByParticipant[participant.id] = state
        participantByTransport[publish] = participant.id
        participantByTransport[subscribe] = participant.id
        updateMirrors(of: state.subscribe.tracks.values.map(\.id))
        sendOfferIfNeeded(to: participant.id)
    }

    /// `publish`: answers the offer of the participant's publish connection, creates its
    /// transport and tracks on the worker, and offers new tracks to everyone else.
    func publish(_ sdp: String, from participant: Participant) throws(SignalingError) {
        guard let media, var state = mediaByParticipant[participant.id] else {
            throw .notAvailable("publishing outside an sfu room")
        }
        let offer: SessionDescription
        do {
            offer = try SessionDescription(parsing: sdp)
        } catch {
            throw .invalidSdp(String(describing: error))
        }
        // Every accepted section becomes a track with state on the relay: bound the offer
        // before negotiating anything (a call page offers two or three).
        guard offer.media.count <= configuration.maximumSectionsPerPublish else {
            throw .tooManySections(limit: configuration.maximumSectionsPerPublish)
        }
        state.publishVersion += 1
        var negotiated: SdpPublishAnswer
        var restarted: IceCredentials?
        do {
            negotiated = try PublishAnswerBuilder(local: state.publishLocal, sessionId: state.sessionId)
                .answer(to: offer, version: state.publishVersion)
            // New credentials in the offer are an ICE restart (RFC 8839 §4.4.1.1.1): the client
            // changed networks. The answer brings new ones of the relay's; DTLS and SRTP stay.
            if let previous = state.publishRemote,
                previous.iceUfrag != negotiated.remote.iceUfrag || previous.icePwd != negotiated.remote.icePwd
            {
                restarted = try Self.credentials(of: negotiated.remote)
                state.restartPublishIce()
                logger.info(
                    "ICE restart", metadata: metadata(of: participant.id, ["transport": .stringConvertible(state.publishTransport.value)]))
                negotiated = try PublishAnswerBuilder(local: state.publishLocal, sessionId: state.sessionId)
                    .answer(to: offer, version: state.publishVersion)
            }
        } catch let error as SignalingError {
            throw error
        } catch {
            throw .negotiationFailed(String(describing: error))
        }

        var added: [(TrackDescription, ForwardedTrack)] = []
        for section in negotiated.media where state.published[section.mid] == nil {
            let id = TrackID(nextMediaIdentifier)
            nextMediaIdentifier += 1
            guard let description = section.trackDescription(id: id, transport: state.publishTransport),
                let track = section.forwardedTrack(id: id, owner: participant.id)
            else { continue }
            added.append((description, track))
            state.published[section.mid] = track
            ownerByTrack[id] = participant.id
            descriptionByTrack[id] = description
        }
        let keptMids = Set(negotiated.media.map(\.mid))
        let removed = state.published.filter { !keptMids.contains($0.key) }.map(\.value)
        for track in removed {
            state.published = state.published.filter { $0.value.id != track.id }
            ownerByTrack[track.id] = nil
            descriptionByTrack[track.id] = nil
        }
        // Counted across renegotiations; `state` is a copy, so a refused offer changes nothing.
        guard state.published.count <= configuration.maximumTracksPerParticipant else {
            throw .tooManyTracks(limit: configuration.maximumTracksPerParticipant)
        }

        let newTransport = state.publishRemote == nil ? try Self.credentials(of: negotiated.remote) : nil
        state.publishRemote = negotiated.remote
        mediaByParticipant[participant.id] = state

        let transport = state.publishTransport
        let local = state.publishCredentials
        let fingerprint = negotiated.remote.fingerprint
        let descriptions = added.map(\.0)
        let removedIds = removed.map(\.id)
        var commands: [MediaCommand] = []
        if let newTransport {
            commands.append(
                .openTransport(
                    TransportSetup(
                        id: transport, localCredentials: local, remoteCredentials: newTransport,
                        remoteFingerprint: fingerprint)))
        }
        if let restarted {
            commands.append(.restartIce(transport, local: local, remote: restarted))
        }
        commands += removedIds.map(MediaCommand.removeTrack)
        commands += descriptions.map(MediaCommand.addTrack)
        send(commands, to: state.location)
        participant.connection.send(.answer(sdp: negotiated.answer.serialized()))

        for other in rooms[participant.room]?.order ?? [] where other != participant.id {
            guard var otherState = mediaByParticipant[other] else { continue }
            for track in removed { otherState.subscribe.remove(track: track.id) }
            for (_, track) in added { otherState.subscribe.add(track) }
            mediaByParticipant[other] = otherState
        }
        updateMirrors(of: removedIds + descriptions.map(\.id))
        for other in rooms[participant.room]?.order ?? [] where other != participant.id {
            sendOfferIfNeeded(to: other)
        }
    }

    /// `answer`: the participant answered the relay's subscribe offer; the worker creates the
    /// subscribe transport on the first answer and starts or stops sending tracks.
    func subscribeAnswered(_ sdp: String, by participant: Participant) throws(SignalingError) {
        guard let media, var state = mediaByParticipant[participant.id] else {
            throw .notAvailable("subscribing outside an sfu room")
        }
        let answer: SessionDescription
        do {
            answer = try SessionDescription(parsing: sdp)
        } catch {
            throw .invalidSdp(String(describing: error))
        }
        let change: SubscriptionChange
        do {
            change = try state.subscribe.handleAnswer(answer)
        } catch {
            throw .negotiationFailed(String(describing: error))
        }
        let newTransport: (credentials: IceCredentials, fingerprint: CertificateFingerprint)?
        if let remote = change.newTransport {
            newTransport = (try Self.credentials(of: remote), remote.fingerprint)
        } else {
            newTransport = nil
        }
        var restartedRemote: IceCredentials?
        if let remote = change.restartedRemote { restartedRemote = try Self.credentials(of: remote) }
        mediaByParticipant[participant.id] = state

        let transport = state.subscribe.transport
        let local = state.subscribe.localCredentials
        var commands: [MediaCommand] = []
        if let newTransport {
            commands.append(
                .openTransport(
                    TransportSetup(
                        id: transport, localCredentials: local, remoteCredentials: newTransport.credentials,
                        remoteFingerprint: newTransport.fingerprint)))
        }
        if let restartedRemote {
            commands.append(.setRemoteCredentials(restartedRemote, transport: transport))
        }
        commands += change.stop.map { MediaCommand.unsubscribe(track: $0, transport: transport) }
        commands += change.start.map { start in
            MediaCommand.subscribe(
                SubscriptionRequest(
                    track: start.track, transport: transport, ssrc: start.ssrc, payloadType: start.payloadType,
                    rtx: start.rtx.map { SubscriptionRequest.Retransmission(ssrc: $0.ssrc, payloadType: $0.payloadType) }))
        }
        send(commands, to: state.location)
        sendOfferIfNeeded(to: participant.id)
    }

    /// `restart-ice`: the participant's subscribe connection lost its path. The relay gives its
    /// end new credentials and offers them (the client, as answerer, cannot restart ICE on
    /// this connection itself); the answer brings the client's new ones.
    func restartSubscribeIce(of participant: Participant) throws(SignalingError) {
        guard let media, var state = mediaByParticipant[participant.id] else {
            throw .notAvailable("an ICE restart outside an sfu room")
        }
        guard let local = state.subscribe.restartIce() else { return }
        mediaByParticipant[participant.id] = state
        logger.info(
            "ICE restart", metadata: metadata(of: participant.id, ["transport": .stringConvertible(state.subscribe.transport.value)]))
        // Sent before the offer: the client's checks with the new credentials may reach the
        // worker before its answer reaches signaling.
        send([.restartIce(state.subscribe.transport, local: local, remote: nil)], to: state.location)
        sendOfferIfNeeded(to: participant.id)
    }

    /// Removes a departed participant's transports and tracks, and its tracks from everyone
    /// else's subscribe connection.
    func releaseMedia(of id: String, in room: String) {
        guard let state = removeMediaState(of: id) else { return }
        for other in rooms[room]?.order ?? [] {
            guard var otherState = mediaByParticipant[other] else { continue }
            for track in state.published.values { otherState.subscribe.remove(track: track.id) }
            mediaByParticipant[other] = otherState
            sendOfferIfNeeded(to: other)
        }
    }

    /// The client's ICE credentials, refused when they break RFC 8839's rules.
    static func credentials(of remote: SdpRemoteTransport) throws(SignalingError) -> IceCredentials {
        guard let credentials = IceCredentials(ufrag: remote.iceUfrag, pwd: remote.icePwd) else {
            throw .negotiationFailed("the ICE credentials are not 4-256 and 22-256 ice-chars")
        }
        return credentials
    }

    /// Removes a participant's transports and tracks from the relay, and returns what it had.
    @discardableResult
    func removeMediaState(of id: String) -> ParticipantMedia? {
        guard let state = mediaByParticipant.removeValue(forKey: id) else { return nil }
        for transport in state.transports { participantByTransport[transport] = nil }
        for track in state.published.values {
            ownerByTrack[track.id] = nil
            descriptionByTrack[track.id] = nil
        }
        send(state.transports.map(MediaCommand.closeTransport), to: state.location)
        // Its own tracks are mirrored nowhere now, and what it was offered may be needed on its
        // worker no longer.
        updateMirrors(of: state.published.values.map(\.id) + state.subscribe.tracks.values.map(\.id))
        return state
    }

    /// Sends the participant a new subscribe offer when its tracks changed and no offer is
    /// awaiting an answer.
    func sendOfferIfNeeded(to id: String) {
        guard var state = mediaByParticipant[id], let offer = state.subscribe.nextOffer(),
            let participant = participants[id]
        else { return }
        mediaByParticipant[id] = state
        let tracks = state.subscribe.tracks.sorted { $0.key < $1.key }.map { mid, track in
            ServerMessage.OfferedTrack(mid: mid, peer: track.owner, kind: track.kind.token)
        }
        participant.connection.send(.offer(sdp: offer.serialized(), tracks: tracks))
    }
}
