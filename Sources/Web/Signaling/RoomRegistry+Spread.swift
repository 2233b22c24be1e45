import Relay

/// Sfu mode on several media workers, and across nodes: a room's first participants share its
/// worker; past `SignalingConfiguration.spreadRoomsAbove` each newcomer goes to the worker with
/// the fewest participants, so one big room's fan-out runs on every core; past the node's
/// participant budget, to another node (`RoomRegistry+Nodes`). A track then reaches each other
/// place with subscribers of it once: through a pipe to another worker (`MediaPlane.mirror`), or
/// over a relay link to another node, and that place sends it on to its own.
extension RoomRegistry {
    /// Where a track's packets are copied to: the place it is published, and each other place
    /// that gets every packet of it with the place it gets them from (its feed).
    struct Mirrors {
        let origin: MediaLocation
        var feeds: [MediaLocation: MediaLocation]

        var consumers: Set<MediaLocation> { Set(feeds.keys) }
    }

    /// Where the `position`th participant (from 0) of `room` has its media.
    func location(forPosition position: Int, in room: CallRoom) -> MediaLocation {
        if let remote = remoteLocation(for: room) { return remote }
        return .here(worker(forPosition: position, in: room))
    }

    /// The worker here for the `position`th participant of `room`.
    func worker(forPosition position: Int, in room: CallRoom) -> Int {
        guard let media, media.workers.count > 1, position >= configuration.spreadRoomsAbove else { return room.worker }
        let load = participantsPerWorker(media.workers.count)
        return load.indices.min { load[$0] < load[$1] } ?? room.worker
    }

    /// How many participants have their media on each of this node's `workers` workers.
    func participantsPerWorker(_ workers: Int) -> [Int] {
        var load = [Int](repeating: 0, count: workers)
        for state in mediaByParticipant.values where state.location.isHere && load.indices.contains(state.location.worker) {
            load[state.location.worker] += 1
        }
        return load
    }

    /// Brings each track's mirrors and links in line with who is offered it where: a place with
    /// a participant offered the track (answered or not) gets it, before any subscription to it
    /// reaches that place; one with none left stops getting it.
    func updateMirrors(of tracks: some Sequence<TrackID>) {
        guard media != nil else { return }
        for id in tracks {
            let owner = ownerByTrack[id]
            let origin = owner.flatMap { mediaByParticipant[$0]?.location }
            var wanted = Set<MediaLocation>()
            if let origin {
                for state in mediaByParticipant.values
                where state.location != origin && state.subscribe.tracks.values.contains(where: { $0.id == id }) {
                    wanted.insert(state.location)
                }
            }
            let current = mirrorsByTrack[id]
            let desired = origin.map { feeds(of: wanted, from: $0, current: current?.feeds ?? [:]) } ?? [:]
            // Those fed from another consumer first, then the consumers the origin feeds.
            for (consumer, feed) in (current?.feeds ?? [:]).sorted(by: { ($0.value == current?.origin ? 1 : 0) < ($1.value == current?.origin ? 1 : 0) })
            where desired[consumer] != feed {
                stopCarrying(id, from: feed, to: consumer)
            }
            guard let origin, let description = descriptionByTrack[id], !desired.isEmpty else {
                mirrorsByTrack[id] = nil
                continue
            }
            let isSpeaker = owner.flatMap { participants[$0] }.flatMap { rooms[$0.room]?.speakers.dominant } == owner
            var carried = (current?.origin == origin ? current?.feeds : nil) ?? [:]
            carried = carried.filter { desired[$0.key] == $0.value }
            // The consumers the origin feeds first: the others get the track from one of them.
            for (consumer, feed) in desired.sorted(by: { ($0.value == origin ? 0 : 1) < ($1.value == origin ? 0 : 1) })
            where carried[consumer] != feed && (feed == origin || carried[feed] != nil) && carry(description, from: feed, to: consumer) {
                carried[consumer] = feed
                if isSpeaker, description.kind == .video { send([.setPriority(1, track: id)], to: consumer) }
            }
            mirrorsByTrack[id] = Mirrors(origin: origin, feeds: carried)
        }
    }

    /// Where each place that wants a track gets it from. On the origin's node, from the origin (a
    /// pipe between two of its workers). On another node, one place there gets it over a relay
    /// link, and the others on that node from it through pipes: the track crosses to each node
    /// once. That place stays while any place on its node wants the track, even if it no longer
    /// does itself, so the others keep their feed.
    private func feeds(
        of wanted: Set<MediaLocation>, from origin: MediaLocation, current: [MediaLocation: MediaLocation]
    ) -> [MediaLocation: MediaLocation] {
        var feeds: [MediaLocation: MediaLocation] = [:]
        for (node, places) in Dictionary(grouping: wanted, by: \.node) {
            guard node != origin.node else {
                for place in places { feeds[place] = origin }
                continue
            }
            let entry = current.first { $0.key.node == node && $0.value == origin }?.key
                ?? places.min { $0.worker < $1.worker }
            guard let entry else { continue }
            feeds[entry] = origin
            // Pipes join workers of this node only; another node carries a room on one worker.
            for place in places where place != entry { feeds[place] = entry.isHere && place.isHere ? entry : origin }
        }
        return feeds
    }

    /// Starts `track`'s packets from `origin` to `consumer`: a pipe between two workers here, a
    /// relay link otherwise. False when it cannot (the other node's media address is unknown).
    private func carry(_ track: TrackDescription, from origin: MediaLocation, to consumer: MediaLocation) -> Bool {
        if origin.isHere, consumer.isHere {
            media?.mirror(track, from: origin.worker, to: consumer.worker)
            return true
        }
        return carryOverLink(track, from: origin, to: consumer)
    }

    private func stopCarrying(_ track: TrackID, from origin: MediaLocation, to consumer: MediaLocation) {
        if origin.isHere, consumer.isHere {
            media?.stopMirroring(track, from: origin.worker, to: consumer.worker)
        } else {
            stopCarryingOverLink(track, from: origin, to: consumer)
        }
    }

    /// The places that hold `track`: where it is published, and where it is mirrored or linked.
    func locations(holding track: TrackID) -> [MediaLocation] {
        guard let owner = ownerByTrack[track], let origin = mediaByParticipant[owner]?.location else { return [] }
        return [origin] + (mirrorsByTrack[track]?.consumers.sorted { ($0.node ?? "", $0.worker) < ($1.node ?? "", $1.worker) } ?? [])
    }
}
