import Foundation
import Logging
import Relay

/// The rooms and who is in them: membership, room options, chat, the relaying of P2P signals,
/// and the mode each room carries media in. One actor, so every room change is ordered.
public actor RoomRegistry {
    struct Participant {
        let id: String
        let name: String
        let room: String
        /// The socket, or while it is away (`suspend`), what holds the messages for it.
        var connection: any SignalingConnection
        let isAdmin: Bool
        /// What the participant's page presents in `resume` to take its place back.
        let resumeToken: String
        var media = MediaState()
        /// The layer it gets of each other participant's camera, by their id, as last reported.
        var layers: [String: LiveLayer] = [:]

        var peer: ServerMessage.Peer { ServerMessage.Peer(id: id, name: name, media: media) }
    }

    public let configuration: SignalingConfiguration
    /// The relay's media plane; without one, sfu mode is refused and auto rooms stay direct.
    let media: MediaPlane?
    let chatHistory: any ChatHistory
    var rooms: [String: CallRoom] = [:]
    var participantByConnection: [ObjectIdentifier: String] = [:]
    var participants: [String: Participant] = [:]
    var mediaByParticipant: [String: ParticipantMedia] = [:]
    /// Who publishes each track on the relay, to read its audio activity.
    var ownerByTrack: [TrackID: String] = [:]
    /// What each track on the relay is, for the workers it is mirrored to, and where it is
    /// mirrored (`RoomRegistry+Spread`).
    var descriptionByTrack: [TrackID: TrackDescription] = [:]
    var mirrorsByTrack: [TrackID: Mirrors] = [:]
    /// The signaling connections in memory, for `/metrics`.
    nonisolated let socketCount = SignalingSocketCount()
    /// Whether the server is shutting down, for `/healthz` and for joins.
    public nonisolated let drain = DrainState()
    var participantByTransport: [TransportID: String] = [:]
    /// Participants whose socket dropped, by their resume token, until they resume or their
    /// grace runs out.
    var suspendedByToken: [String: String] = [:]
    var nextMediaIdentifier: UInt64 = 1
    /// Where the cluster's rooms live (`use(_:)`); nil alone, where every room opens here.
    var placement: (any RoomPlacement)?
    /// Joins of a room this node has not got that wait on the placement, by room: the room's row
    /// is not released under them.
    var placementsInFlight: [String: Int] = [:]
    /// Rooms open here that a drain handed to another node, with their new owner: a join of one
    /// is sent there, and its chat history lives on there when the last participant leaves here.
    var movedRooms: [String: RoomOwner] = [:]
    /// Rooms across nodes (`RoomRegistry+Nodes`): this node's part, the live nodes at the last
    /// heartbeat, the media carried here for other nodes' rooms, and the relay links this node's
    /// rooms use between places.
    var span: ClusterSpan?
    var spanNodes: [ClusterNode] = []
    var hosted = HostedMedia()
    var spanLinks: [SpanLink.Ends: SpanLink] = [:]
    var nextLinkIdentifier: UInt64 = 1
    /// Who came and went, mode changes and media trouble, each line with its room, participant
    /// and transport as metadata: what an operator greps for when someone says their call broke.
    let logger: Logger

    public init(
        configuration: SignalingConfiguration = SignalingConfiguration(), media: MediaPlane? = nil,
        chatHistory: any ChatHistory = InMemoryChatHistory(), logger: Logger = Logger(label: "relay.rooms")
    ) {
        self.configuration = configuration
        self.media = media
        self.chatHistory = chatHistory
        self.logger = logger
    }

    /// The metadata of a log line about participant `id`: its room and id.
    func metadata(of id: String, _ extra: Logger.Metadata = [:]) -> Logger.Metadata {
        var metadata = extra
        metadata["participant"] = .string(id)
        if let room = participants[id]?.room { metadata["room"] = .string(room) }
        return metadata
    }

    var relayAvailable: Bool { media != nil }

    /// Handles one decoded message from `connection`.
    public func handle(_ message: ClientMessage, from connection: any SignalingConnection) async {
        do throws(SignalingError) {
            switch message {
            case .join(let request):
                try await joinPlaced(request, connection: connection)
            case .chat(let text, let id):
                let sender = try participant(of: connection)
                guard let room = rooms[sender.room] else { throw .notJoined }
                let message = CallChatMessage(
                    id: id ?? Self.newIdentifier(), from: sender.id, name: sender.name, text: text,
                    ts: Int64(Date().timeIntervalSince1970 * 1000))
                broadcast(.chat(message), in: sender.room)
                await chatHistory.append(
                    message, in: ChatRoomGeneration(room: sender.room, id: room.chatGeneration), isPublic: room.isOpen)
            case .signal(let to, let data):
                let sender = try participant(of: connection)
                guard let target = participants[to], target.room == sender.room, target.id != sender.id else {
                    throw .unknownPeer(to)
                }
                target.connection.send(.signal(from: sender.id, data: data))
            case .mediaState(let state):
                let sender = try participant(of: connection)
                participants[sender.id]?.media = state
                broadcast(.mediaState(id: sender.id, state), in: sender.room, except: sender.id)
            case .mediaFailed:
                try fallBackToP2P(reportedBy: try participant(of: connection))
            case .lock(let locked):
                try setLocked(locked, by: try participant(of: connection))
            case .leave:
                _ = try participant(of: connection)
                await disconnected(connection)
            case .resume(let token):
                try resume(token: token, on: connection)
            case .publish(let sdp):
                try publish(sdp, from: try participant(of: connection))
            case .answer(let sdp):
                try subscribeAnswered(sdp, by: try participant(of: connection))
            case .restartIce:
                try restartSubscribeIce(of: try participant(of: connection))
            case .tile(let peer, let width, let height):
                try showTile(of: peer, width: width, height: height, to: try participant(of: connection))
            case .candidate:
                // The relay is ICE-lite: it learns the client's address from its checks, so
                // trickled candidates carry nothing it needs (RFC 8445 §2.5).
                _ = try participant(of: connection)
            }
        } catch {
            connection.send(.error(error))
        }
    }

    /// Joins `request`'s room on this node, opening it if need be.
    /// A room opened here continues the chat generation `generation` when the cluster gives one.
    func joinHere(
        _ request: JoinRequest, generation: String? = nil, connection: any SignalingConnection
    ) async throws(SignalingError) {
        // Drawn now: the history to read depends on the room the join will enter.
        let newGeneration = generation ?? UUID().uuidString
        let history = await historyToReplay(joining: request, newGeneration: newGeneration)
        try join(request, history: history, newGeneration: newGeneration, connection: connection)
    }

    /// Removes whoever `connection` was; the others in the room hear `peer-left`, and an auto
    /// room back to two goes direct. When the room ends, so does its private chat history.
    public func disconnected(_ connection: any SignalingConnection) async {
        guard let id = participantByConnection.removeValue(forKey: ObjectIdentifier(connection)) else { return }
        await remove(id)
    }

    /// Takes participant `id` out of its room, its media with it; the others are told.
    func remove(_ id: String) async {
        guard participants[id] != nil else { return }
        logger.info("left", metadata: metadata(of: id))
        guard let participant = participants.removeValue(forKey: id), var room = rooms[participant.room] else { return }
        suspendedByToken[participant.resumeToken] = nil
        room.order.removeAll { $0 == id }
        room.speakers.remove(id)
        rooms[participant.room] = room
        guard let firstRemaining = room.order.first else {
            removeMediaState(of: id)
            rooms[participant.room] = nil
            // The room has ended: what was said in it behind a password or a lock goes with it,
            // unless the call goes on on another node. Awaited last, with the registry
            // consistent: others may run meanwhile.
            if movedRooms.removeValue(forKey: participant.room) == nil {
                await chatHistory.end(ChatRoomGeneration(room: participant.room, id: room.chatGeneration))
            }
            await releaseIfUnused(participant.room)
            return
        }
        if room.mode == .sfu && room.preferredMode(configuration, relayAvailable: relayAvailable) == .p2p {
            // The whole room leaves the relay below: no one needs a new subscribe offer.
            removeMediaState(of: id)
        } else {
            releaseMedia(of: id, in: participant.room)
        }
        broadcast(.peerLeft(id: id), in: participant.room)
        let ownerLeft = room.owner == id
        if ownerLeft { room.owner = firstRemaining }
        rooms[participant.room] = room
        changeModeIfNeeded(of: participant.room, reason: .shrank)
        if ownerLeft { broadcastState(of: participant.room) }
    }

    /// The names of the participants of `room`, in join order.
    public func members(of room: String) -> [String] {
        rooms[room]?.order.compactMap { participants[$0]?.name } ?? []
    }

    /// The mode `room` carries media in now, nil when no one is in it.
    public func mode(of room: String) -> CallMode? { rooms[room]?.mode }

    public var roomCount: Int { rooms.count }
    public var participantCount: Int { participants.count }

    /// Which history a join with `request` would be shown, if it is let in: the generation of
    /// the room it enters (a new one when the room does not exist), and the public messages of
    /// the room's earlier generations when it has no password.
    private func historyScope(joining request: JoinRequest, newGeneration: String) -> HistoryScope? {
        guard let room = rooms[request.room] else {
            return HistoryScope(
                generation: ChatRoomGeneration(room: request.room, id: newGeneration),
                includingPublic: request.password == nil)
        }
        // A join that will be refused reads nothing.
        guard hasAdminToken(request) || (room.password == nil || room.password == request.password) && !room.locked else {
            return nil
        }
        return HistoryScope(
            generation: ChatRoomGeneration(room: request.room, id: room.chatGeneration),
            includingPublic: room.password == nil)
    }

    /// Read before joining: the actor may run other messages meanwhile, and a message said
    /// after the join must reach the newcomer live, not twice. The room may end or be created
    /// during the read, so the history is kept only if it is still the room's afterwards; after
    /// three changes in a row the newcomer gets none rather than another room's.
    private func historyToReplay(joining request: JoinRequest, newGeneration: String) async -> [CallChatMessage] {
        for _ in 0..<3 {
            guard let scope = historyScope(joining: request, newGeneration: newGeneration) else { return [] }
            let history = await chatHistory.recent(
                in: scope.generation, includingPublic: scope.includingPublic, limit: configuration.chatReplayLimit)
            if historyScope(joining: request, newGeneration: newGeneration) == scope { return history }
        }
        return []
    }

    private func hasAdminToken(_ request: JoinRequest) -> Bool {
        configuration.adminToken.map { request.token == $0 } ?? false
    }

    private func join(
        _ request: JoinRequest, history: [CallChatMessage], newGeneration: String, connection: any SignalingConnection
    ) throws(SignalingError) {
        guard participantByConnection[ObjectIdentifier(connection)] == nil else { throw .alreadyJoined }
        let isAdmin = hasAdminToken(request)
        let id = Self.newIdentifier()
        var room: CallRoom
        if let existing = rooms[request.room] {
            room = existing
            guard isAdmin || room.password == nil || room.password == request.password else {
                throw .forbidden("wrong room password")
            }
            guard isAdmin || !room.locked else { throw .roomLocked }
        } else {
            guard !drain.isDraining else { throw .serverDraining }
            // Joined as sfu, the room's members would be told to publish to a relay that is
            // not there.
            guard relayAvailable || request.mode != .sfu else { throw .notAvailable("the media relay (sfu mode)") }
            room = CallRoom(
                policy: request.mode, worker: leastLoadedWorker(), owner: id, password: request.password,
                maximumParticipants: min(request.maximumParticipants ?? .max, configuration.maximumParticipants),
                chatGeneration: newGeneration)
        }
        let capacity = room.capacity(configuration, relayAvailable: relayAvailable)
        guard room.order.count < capacity else { throw .roomFull(limit: capacity) }

        let peers = room.order.compactMap { participants[$0]?.peer }
        let participant = Participant(
            id: id, name: request.name, room: request.room, connection: connection, isAdmin: isAdmin, resumeToken: Self.newToken())
        let previousMode = room.mode
        room.order.append(id)
        room.mode = room.preferredMode(configuration, relayAvailable: relayAvailable)
        rooms[request.room] = room
        participants[id] = participant
        participantByConnection[ObjectIdentifier(connection)] = id
        logger.info("joined", metadata: metadata(of: id, ["mode": .string(room.mode.rawValue), "asked": .string(request.mode.rawValue)]))

        connection.send(.joined(
            id: id, room: request.room, mode: room.mode, peers: peers, iceServers: configuration.iceServers(for: id),
            history: history))
        if configuration.resumeGrace > .zero {
            let seconds = Int((configuration.resumeGrace / .seconds(1)).rounded(.up))
            connection.send(.resumable(token: participant.resumeToken, seconds: seconds))
        }
        connection.send(.room(room.state(configuration, relayAvailable: relayAvailable)))
        if let speaker = room.speakers.dominant { connection.send(.speaker(id: speaker)) }
        if let until = drain.until { connection.send(.serverDraining(seconds: Self.seconds(until: until))) }
        // The others hear of the new mode first, so they do not open a direct connection to the
        // newcomer only to close it again.
        if room.mode != previousMode {
            broadcast(.mode(room.mode, reason: .grew), in: request.room, except: id)
        }
        broadcast(.peerJoined(participant.peer), in: request.room, except: id)
        guard room.mode == .sfu else { return }
        let needMedia = previousMode == .sfu ? [id] : room.order
        for member in needMedia {
            guard let member = participants[member], let position = room.order.firstIndex(of: member.id) else { continue }
            prepareMedia(for: member, location: location(forPosition: position, in: room))
        }
    }

    /// Moves the room to the mode it should be in now, telling every member and creating or
    /// releasing their media on the relay.
    func changeModeIfNeeded(of name: String, reason: ModeChangeReason) {
        guard var room = rooms[name] else { return }
        let mode = room.preferredMode(configuration, relayAvailable: relayAvailable)
        guard mode != room.mode else { return }
        room.mode = mode
        rooms[name] = room
        logger.info("mode changed", metadata: ["room": .string(name), "mode": .string(mode.rawValue), "reason": .string("\(reason)")])
        if mode == .p2p {
            for member in room.order { removeMediaState(of: member) }
        }
        broadcast(.mode(mode, reason: reason), in: name)
        if mode == .sfu {
            for (position, member) in room.order.enumerated() {
                if let member = participants[member] { prepareMedia(for: member, location: location(forPosition: position, in: room)) }
            }
        }
    }

    /// `media-failed`: the reporter cannot reach the relay, so an auto room that fits a mesh
    /// continues direct, for good.
    private func fallBackToP2P(reportedBy sender: Participant) throws(SignalingError) {
        guard var room = rooms[sender.room] else { return }
        guard room.policy == .auto else { throw .notAvailable("falling back to p2p outside an auto room") }
        // A report that crossed the room's own move to p2p.
        guard room.mode == .sfu else { return }
        guard room.order.count <= configuration.meshMaximum else {
            throw .notAvailable("falling back to p2p with more than \(configuration.meshMaximum) participants")
        }
        room.fellBackToP2P = true
        rooms[sender.room] = room
        changeModeIfNeeded(of: sender.room, reason: .relayUnreachable)
        broadcastState(of: sender.room)
    }

    private func setLocked(_ locked: Bool, by sender: Participant) throws(SignalingError) {
        guard var room = rooms[sender.room] else { return }
        guard sender.isAdmin || room.owner == sender.id else {
            throw .forbidden("only the room's owner or an admin can lock or unlock it")
        }
        room.locked = locked
        rooms[sender.room] = room
        broadcastState(of: sender.room)
    }

    func broadcastState(of name: String) {
        guard let room = rooms[name] else { return }
        broadcast(.room(room.state(configuration, relayAvailable: relayAvailable)), in: name)
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
            participants[id]?.connection.send(message)
        }
    }

    /// Starts draining until `deadline` and tells every participant; false if already draining.
    public func beginDraining(until deadline: Date) -> Bool {
        guard drain.begin(until: deadline) else { return false }
        let message = ServerMessage.serverDraining(seconds: Self.seconds(until: deadline))
        for participant in participants.values { participant.connection.send(message) }
        return true
    }

    /// Whole seconds from now to `date`, at least 0.
    static func seconds(until date: Date) -> Int {
        max(0, Int(date.timeIntervalSinceNow.rounded(.up)))
    }

    static func newIdentifier() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        return String((0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }
}
