import Relay

/// The dominant speaker of each sfu room, from the audio activity the media workers report.
extension RoomRegistry {
    /// One interval of audio activity from a worker: each room's scores go to its speaker
    /// detector, and a new dominant speaker is announced to the room.
    func audioActivity(_ activity: [AudioActivity], at now: UInt64) {
        var scoresByRoom: [String: [String: Double]] = [:]
        for interval in activity {
            guard let owner = ownerByTrack[interval.track], let participant = participants[owner] else { continue }
            scoresByRoom[participant.room, default: [:]][owner] = max(
                scoresByRoom[participant.room]?[owner] ?? 0, interval.score)
        }
        for (name, scores) in scoresByRoom {
            guard var room = rooms[name], room.mode == .sfu else { continue }
            let previous = room.speakers.dominant
            let speaker = room.speakers.update(scores, at: now)
            rooms[name] = room
            if let speaker {
                broadcast(.speaker(id: speaker), in: name)
                prioritize(speaker: speaker, previous: previous, in: room)
            }
        }
    }
}
