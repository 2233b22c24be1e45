/// How signaling runs rooms: limits, when auto rooms change mode, and what clients are told.
public struct SignalingConfiguration: Sendable {
    /// The most participants a room may hold, whatever its creator asks.
    public var maximumParticipants: Int
    /// The most participants of a direct (p2p) room: each sends its media to every other.
    public var meshMaximum: Int
    /// Whether an auto room that went through the relay goes direct again when back to two.
    public var returnsToP2P: Bool
    /// STUN and TURN servers for the browsers' peer connections.
    public var iceServers: [ServerMessage.IceServer]
    /// Mints each participant's credentials for the TURN servers in `iceServers` given without
    /// any; nil: every TURN server has static credentials.
    public var turnCredentials: TurnCredentials?
    /// Who joins with this token may enter and lock any room; nil: no one.
    public var adminToken: String?
    /// The chat messages replayed to a participant who joins.
    public var chatReplayLimit: Int
    /// How long a participant whose signaling socket dropped is kept, media and all, for its
    /// page to reconnect and `resume`; 0 ends it at once, as `leave` does.
    public var resumeGrace: Duration
    /// Frames a connection may send a second, after a burst of `messageBurst`; more are
    /// answered with `rate-limited`.
    public var messagesPerSecond: Double
    public var messageBurst: Double
    /// Media sections one publish offer may have; more are refused with `too-many-sections`.
    public var maximumSectionsPerPublish: Int
    /// Tracks one participant may publish at a time; more are refused with `too-many-tracks`.
    /// Each costs the relay a receive state and a retransmission history.
    public var maximumTracksPerParticipant: Int
    /// Signaling sockets one client address may hold open; one more is answered with
    /// `too-many-sockets` and closed.
    public var maximumSocketsPerAddress: Int
    /// `join`s one client address may make a minute, over all its sockets; more are answered
    /// with `rate-limited`.
    public var joinsPerMinutePerAddress: Int
    /// With several media workers, a room's participants past this many are placed on the
    /// worker with the fewest participants rather than the room's own, so one big room uses
    /// every core (`RoomRegistry+Spread`); below it a room stays on one worker, where no track
    /// is copied between workers.
    public var spreadRoomsAbove: Int

    /// The STUN and TURN servers handed to participant `id` in `joined`.
    public func iceServers(for id: String) -> [ServerMessage.IceServer] {
        turnCredentials.map { $0.servers(iceServers, for: id) } ?? iceServers
    }

    public init(
        maximumParticipants: Int = 100, meshMaximum: Int = 4, returnsToP2P: Bool = true,
        iceServers: [ServerMessage.IceServer] = [], adminToken: String? = nil, chatReplayLimit: Int = 100,
        messagesPerSecond: Double = 20, messageBurst: Double = 40, maximumSectionsPerPublish: Int = 16,
        maximumTracksPerParticipant: Int = 8, maximumSocketsPerAddress: Int = 64, joinsPerMinutePerAddress: Int = 60,
        turnCredentials: TurnCredentials? = nil, resumeGrace: Duration = .seconds(30), spreadRoomsAbove: Int = 8
    ) {
        self.spreadRoomsAbove = spreadRoomsAbove
        self.turnCredentials = turnCredentials
        self.resumeGrace = resumeGrace
        self.maximumParticipants = maximumParticipants
        self.meshMaximum = meshMaximum
        self.returnsToP2P = returnsToP2P
        self.iceServers = iceServers
        self.adminToken = adminToken
        self.chatReplayLimit = chatReplayLimit
        self.messagesPerSecond = messagesPerSecond
        self.messageBurst = messageBurst
        self.maximumSectionsPerPublish = maximumSectionsPerPublish
        self.maximumTracksPerParticipant = maximumTracksPerParticipant
        self.maximumSocketsPerAddress = maximumSocketsPerAddress
        self.joinsPerMinutePerAddress = joinsPerMinutePerAddress
    }
}
