import Relay

/// Sfu mode: the layer each participant gets of each camera, from the size of its tiles and the
/// relay's estimate of its path, and the active speaker's video served first.
extension RoomRegistry {
    /// `tile`: the participant shows `peer`'s video at this size. A peer that just left, or a
    /// room that just went direct, is no error: the page's message crossed the change.
    func showTile(of peer: String, width: Int, height: Int, to participant: Participant) throws(SignalingError) {
        guard let state = mediaByParticipant[participant.id] else { return }
        guard let owner = participants[peer], owner.room == participant.room, let published = mediaByParticipant[peer]?.published
        else { return }
        let size = DisplaySize(width: width, height: height)
        let commands = published.values.filter { $0.kind == .video }.sorted { $0.id.value < $1.id.value }.map {
            MediaCommand.setDisplaySize(size, track: $0.id, transport: state.subscribe.transport)
        }
        send(commands, to: state.location)
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
        // Wherever the track is: where it is published and where it is mirrored or linked to.
        var commands: [MediaLocation: [MediaCommand]] = [:]
        for (participant, priority) in [(previous, 0), (speaker, 1)] {
            guard let participant, let published = mediaByParticipant[participant]?.published else { continue }
            for track in published.values where track.kind == .video {
                for location in locations(holding: track.id) {
                    commands[location, default: []].append(.setPriority(priority, track: track.id))
                }
            }
        }
        for (location, commands) in commands { send(commands, to: location) }
    }
}
