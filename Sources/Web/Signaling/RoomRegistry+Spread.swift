import Relay

/// Sfu mode on several media workers: a room's first participants share its worker; past
/// `SignalingConfiguration.spreadRoomsAbove` each newcomer goes to the worker with the fewest
/// participants, so one big room's fan-out runs on every core. A track then reaches each other
/// worker with subscribers of it once, through a pipe (`MediaPlane.mirror`), and that worker
/// sends it on to its own.
extension RoomRegistry {
    /// Where a track's packets are copied to: the worker it is published on, and the others
    /// that get every packet of it.
    struct Mirrors {
        let origin: Int
        var consumers: Set<Int>
    }

    /// The worker for the `position`th participant of `room` (from 0).
    func worker(forPosition position: Int, in room: CallRoom) -> Int {
        guard let media, media.workers.count > 1, position >= configuration.spreadRoomsAbove else { return room.worker }
        let load = participantsPerWorker(media.workers.count)
        return load.indices.min { load[$0] < load[$1] } ?? room.worker
    }

    /// How many participants have their media on each of `workers` workers.
    func participantsPerWorker(_ workers: Int) -> [Int] {
        var load = [Int](repeating: 0, count: workers)
        for state in mediaByParticipant.values { load[state.worker] += 1 }
        return load
    }

    /// Brings each track's mirrors in line with who is offered it where: a worker with a
    /// participant offered the track (answered or not) gets it, before any subscription to it
    /// reaches that worker; one with none left stops getting it.
    func updateMirrors(of tracks: some Sequence<TrackID>) {
        guard let media, media.workers.count > 1 else { return }
        for id in tracks {
            let owner = ownerByTrack[id]
            let origin = owner.flatMap { mediaByParticipant[$0]?.worker }
            var wanted = Set<Int>()
            if let origin {
                for state in mediaByParticipant.values where state.worker != origin && state.subscribe.tracks.values.contains(where: { $0.id == id }) {
                    wanted.insert(state.worker)
                }
            }
            let current = mirrorsByTrack[id]
            for consumer in current?.consumers.subtracting(wanted) ?? [] {
                if let current { media.stopMirroring(id, from: current.origin, to: consumer) }
            }
            guard let origin, let description = descriptionByTrack[id], !wanted.isEmpty else {
                mirrorsByTrack[id] = nil
                continue
            }
            let isSpeaker = owner.flatMap { participants[$0] }.flatMap { rooms[$0.room]?.speakers.dominant } == owner
            for consumer in wanted.subtracting(current?.consumers ?? []) {
                media.mirror(description, from: origin, to: consumer)
                if isSpeaker, description.kind == .video { media.workers[consumer].send([.setPriority(1, track: id)]) }
            }
            mirrorsByTrack[id] = Mirrors(origin: origin, consumers: wanted)
        }
    }

    /// The workers that hold `track`: where it is published and where it is mirrored.
    func workers(holding track: TrackID) -> [Int] {
        guard let owner = ownerByTrack[track], let origin = mediaByParticipant[owner]?.worker else { return [] }
        return [origin] + (mirrorsByTrack[track]?.consumers.sorted() ?? [])
    }
}
