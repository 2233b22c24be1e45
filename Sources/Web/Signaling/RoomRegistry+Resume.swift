import Foundation

/// A participant whose signaling socket drops (a Wi-Fi blip, a proxy timeout) stays in its room
/// for `SignalingConfiguration.resumeGrace`, its media on the relay or its direct connections
/// untouched and the others told nothing; its page reconnects and presents its resume token to
/// take its place back, with what was said to it meanwhile. After the grace it leaves as if it
/// had said `leave`.
extension RoomRegistry {
    /// The socket of `connection` has ended: its participant is held for resuming, or, without a
    /// grace, removed.
    public func connectionLost(_ connection: any SignalingConnection) async {
        let key = ObjectIdentifier(connection)
        guard let id = participantByConnection[key], var participant = participants[id] else { return }
        let grace = configuration.resumeGrace
        guard grace > .zero else {
            await disconnected(connection)
            return
        }
        participantByConnection[key] = nil
        logger.info("connection lost, held for resuming", metadata: metadata(of: id))
        participant.connection = HeldMessages()
        participants[id] = participant
        suspendedByToken[participant.resumeToken] = id
        let token = participant.resumeToken
        Task {
            try? await Task.sleep(for: grace)
            await self.endSuspension(of: id, token: token)
        }
    }

    /// The grace of a participant held under `token` has run out: it leaves, unless it resumed.
    func endSuspension(of id: String, token: String) async {
        guard suspendedByToken[token] == id else { return }
        suspendedByToken[token] = nil
        await remove(id)
    }

    /// Gives the participant held under `token` the new `connection`: `resumed`, then what was
    /// held for it, in order. A participant whose old socket the server still thinks open (a
    /// network that dropped without a close) moves to the new one; what went to the old is lost.
    func resume(token: String, on connection: any SignalingConnection) throws(SignalingError) {
        guard participantByConnection[ObjectIdentifier(connection)] == nil else { throw .alreadyJoined }
        if suspendedByToken[token] == nil,
            let live = participants.values.first(where: { $0.resumeToken == token && !($0.connection is HeldMessages) })
        {
            var participant = live
            participantByConnection[ObjectIdentifier(participant.connection)] = nil
            participant.connection = connection
            participants[live.id] = participant
            participantByConnection[ObjectIdentifier(connection)] = live.id
            logger.info("resumed on a new socket", metadata: metadata(of: live.id))
            connection.send(.resumed(id: live.id))
            return
        }
        guard let id = suspendedByToken[token], var participant = participants[id],
            let held = participant.connection as? HeldMessages
        else { throw .resumeFailed }
        guard let messages = held.messages else {
            // It missed too much to catch up: it joins again, and leaves now rather than later.
            suspendedByToken[token] = nil
            Task { await self.remove(id) }
            throw .resumeFailed
        }
        suspendedByToken[token] = nil
        participant.connection = connection
        participants[id] = participant
        participantByConnection[ObjectIdentifier(connection)] = id
        logger.info("resumed", metadata: metadata(of: id, ["heldMessages": .stringConvertible(messages.count)]))
        connection.send(.resumed(id: id))
        for message in messages { connection.send(message) }
    }

    /// A resume token: 128 random bits in hex.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
