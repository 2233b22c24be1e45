import Foundation
import Relay

/// The rooms and who is in them: membership, chat and the relaying of P2P signals.
/// One actor, so every room change is ordered.
public actor RoomRegistry {
    struct Participant {
        let id: String
        let name: String
        let room: String
        let connection: any SignalingConnection
    }

    struct Room {
        let mode: CallMode
        /// The media worker that carries the room's media in sfu mode.
        let worker: Int
        var participants: [String: Participant] = [:]
        /// Join order, so peer lists are stable.
        var order: [String] = []
    }

    public let maximumParticipants: Int
    /// The relay's media plane; without one, sfu mode is refused.
    let media: MediaPlane?
    var rooms: [String: Room] = [:]
    var participantByConnection: [ObjectIdentifier: String] = [:]
    var participants: [String: Participant] = [:]
    var mediaByParticipant: [String: ParticipantMedia] = [:]
    var participantByTransport: [TransportID: String] = [:]
    var nextMediaIdentifier: UInt64 = 1

    public init(maximumParticipants: Int = 100, media: MediaPlane? = nil) {
        self.maximumParticipants = maximumParticipants
        self.media = media
    }

    /// Handles one decoded message from `connection`.
    public func handle(_ message: ClientMessage, from connection: any SignalingConnection) {
        do throws(SignalingError) {
            switch message {
            case .join(let room, let name, let mode, _):
                try join(room: room, name: name, mode: mode, connection: connection)
            case .chat(let text):
                let sender = try participant(of: connection)
                let ts = Int64(Date().timeIntervalSince1970 * 1000)
                broadcast(.chat(from: sender.id, name: sender.name, text: text, ts: ts), in: sender.room)
            case .signal(let to, let data):
                let sender = try participant(of: connection)
                guard let target = rooms[sender.room]?.participants[to], target.id != sender.id else {
                    throw .unknownPeer(to)
                }
                target.connection.send(.signal(from: sender.id, data: data))
            case .leave:
                _ = try participant(of: connection)
                disconnected(connection)
            case .publish(let sdp):
                try publish(sdp, from: try participant(of: connection))
            case .answer(let sdp):
                try subscribeAnswered(sdp, by: try participant(of: connection))
            case .candidate:
                // The relay is ICE-lite: it learns the client's address from its checks, so
                // trickled candidates carry nothing it needs (RFC 8445 §2.5).
                _ = try participant(of: connection)
            }
        } catch {
            connection.send(.error(error))
        }
    }

    /// Removes whoever `connection` was; the others in the room hear `peer-left`.
    public func disconnected(_ connection: any SignalingConnection) {
        guard let id = participantByConnection.removeValue(forKey: ObjectIdentifier(connection)),
            let participant = participants.removeValue(forKey: id)
        else { return }
        rooms[participant.room]?.participants[id] = nil
        rooms[participant.room]?.order.removeAll { $0 == id }
        releaseMedia(of: id, in: participant.room)
        if rooms[participant.room]?.participants.isEmpty == true {
            rooms[participant.room] = nil
        } else {
            broadcast(.peerLeft(id: id), in: participant.room)
        }
    }

    /// The names of the participants of `room`, in join order.
    public func members(of room: String) -> [String] {
        guard let room = rooms[room] else { return [] }
        return room.order.compactMap { room.participants[$0]?.name }
    }

    public var roomCount: Int { rooms.count }
    public var participantCount: Int { participants.count }

    private func join(room name: String, name participantName: String, mode: CallMode, connection: any SignalingConnection) throws(SignalingError) {
        guard participantByConnection[ObjectIdentifier(connection)] == nil else { throw .alreadyJoined }
        var room = rooms[name] ?? Room(mode: mode, worker: leastLoadedWorker())
        guard room.participants.count < maximumParticipants else { throw .roomFull(limit: maximumParticipants) }
        let id = Self.newIdentifier()
        let peers = room.order.compactMap { room.participants[$0] }.map { ServerMessage.Peer(id: $0.id, name: $0.name) }
        let participant = Participant(id: id, name: participantName, room: name, connection: connection)
        room.participants[id] = participant
        room.order.append(id)
        rooms[name] = room
        participants[id] = participant
        participantByConnection[ObjectIdentifier(connection)] = id
        connection.send(.joined(id: id, room: name, mode: room.mode, peers: peers, iceServers: []))
        broadcast(.peerJoined(.init(id: id, name: participantName)), in: name, except: id)
        if room.mode == .sfu { prepareMedia(for: participant, worker: room.worker) }
    }

    func participant(of connection: any SignalingConnection) throws(SignalingError) -> Participant {
        guard let id = participantByConnection[ObjectIdentifier(connection)], let participant = participants[id] else {
            throw .notJoined
        }
        return participant
    }

    func broadcast(_ message: ServerMessage, in room: String, except excluded: String? = nil) {
        guard let room = rooms[room] else { return }
        for id in room.order where id != excluded {
            room.participants[id]?.connection.send(message)
        }
    }

    private static func newIdentifier() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        return String((0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }
}
