import Relay

/// Sfu mode: the layer each participant gets of each camera, from the size of its tiles and the
/// relay's estimate of its path, and the active speaker's video served first.
extension RoomRegistry {
    /// `tile`: the participant shows `peer`'s video at this size. A peer that just left, or a
    /// room that just went direct, is no error: the page's message crossed the change.
    func showTile(of peer: String, width: Int, height: Int, to participant: Participant) throws(SignalingError) {
        guard let media, let state = mediaByParticipant[participant.id] else { return }
        guard let owner = participants[peer], owner.room == participant.room, let published = mediaByParticipant[peer]?.published
        else { return }
        let size = DisplaySize(width: width, height: height)
        let commands = published.values.filter { $0.kind == .video }.sorted { $0.id.value < $1.id.value }.map {
            MediaCommand.setDisplaySize(size, track: $0.id, transport: state.subscribe.transport)
        }
        if !commands.isEmpty { media.workers[state.worker].send(commands) }
    }

    /// A worker moved a subscriber to another layer, or paused or resumed its video: its page
    /// hears which.
    func layerChanged(_ change: LayerChange) {
        guard let id = participantByTransport[change.subscriber], let participant = participants[id],
            let owner = ownerByTrack[change.track]
        else { return }
        participants[id]?.layers[owner] = LiveLayer(rid: change.rid, width: change.width, height: change.height, paused: change.paused)
        participant.connection.send(
            .videoLayer(peer: owner, rid: change.rid, width: change.width, height: change.height, paused: change.paused))
    }

    /// Serves the room's new dominant speaker's camera first wherever bandwidth is shared out,
    /// and the previous one's no longer.
    func prioritize(speaker: String, previous: String?, in room: CallRoom) {
        guard let media else { return }
        // Wherever the track is: the worker it is published on and those it is mirrored to.
        var commands: [Int: [MediaCommand]] = [:]
        for (participant, priority) in [(previous, 0), (speaker, 1)] {
            guard let participant, let published = mediaByParticipant[participant]?.published else { continue }
            for track in published.values where track.kind == .video {
                for worker in workers(holding: track.id) { commands[worker, default: []].append(.setPriority(priority, track: track.id)) }
            }
        }
        for (worker, commands) in commands { media.workers[worker].send(commands) }
    }
}
