import Relay

/// What the admin page sees of the live rooms, and what an admin may do to them: end a room, or
/// take one participant out.
extension RoomRegistry {
    /// Every room now, with what the media plane says of each connection.
    public func liveRooms() async -> [LiveRoom] {
        let statistics = await media?.statistics()
        return liveRooms(statistics: statistics)
    }

    /// Every room with its participants in the order they came, and what the media plane's
    /// `statistics` say of each one's connections.
    public func liveRooms(statistics: MediaStatistics?) -> [LiveRoom] {
        let estimates = Dictionary(
            (statistics?.subscribers ?? []).map { ($0.transport, $0) }, uniquingKeysWith: { first, _ in first })
        return rooms.keys.sorted().compactMap { name -> LiveRoom? in
            guard let room = rooms[name] else { return nil }
            let people = room.order.compactMap { id -> LiveParticipant? in
                guard let participant = participants[id] else { return nil }
                var publishConnected: Bool?
                var subscribeConnected: Bool?
                let media = mediaByParticipant[id]
                if let media, let connected = statistics?.connectedTransports {
                    if media.publishRemote != nil { publishConnected = connected.contains(media.publishTransport) }
                    subscribeConnected = connected.contains(media.subscribe.transport)
                }
                let layers = room.order.compactMap { other -> (name: String, layer: LiveLayer)? in
                    guard other != id, let layer = participant.layers[other], let owner = participants[other] else { return nil }
                    return (owner.name, layer)
                }
                return LiveParticipant(
                    id: id, name: participant.name, isOnline: !(participant.connection is HeldMessages),
                    publishConnected: publishConnected, subscribeConnected: subscribeConnected,
                    estimate: media.flatMap { estimates[$0.subscribe.transport] }, layers: layers)
            }
            return LiveRoom(name: name, mode: room.mode, policy: room.policy, locked: room.locked, participants: people)
        }
    }

    /// Ends room `name`: every participant is told (`removed`, `room-ended`) and taken out.
    /// Returns how many there were.
    @discardableResult
    public func end(room name: String) async -> Int {
        let members = rooms[name]?.order ?? []
        for id in members { await takeOut(id, reason: "room-ended") }
        return members.count
    }

    /// Takes participant `id` out of its room (`removed`); false when there is no such
    /// participant.
    @discardableResult
    public func removeParticipant(_ id: String) async -> Bool {
        guard participants[id] != nil else { return false }
        await takeOut(id, reason: "removed")
        return true
    }

    /// The participant hears why before it goes; it is not held for resuming, and its socket,
    /// if open, stays open with no one joined on it (the page closes it).
    private func takeOut(_ id: String, reason: String) async {
        guard let participant = participants[id] else { return }
        logger.notice("taken out by an admin", metadata: metadata(of: id, ["reason": .string(reason)]))
        participant.connection.send(.removed(reason: reason))
        participantByConnection[ObjectIdentifier(participant.connection)] = nil
        await remove(id)
    }
}
