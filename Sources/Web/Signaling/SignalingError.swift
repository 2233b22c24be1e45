/// Why a signaling request was refused. Sent back as `error` with `code` and `message`; the
/// connection stays open.
public enum SignalingError: Error, Equatable, Sendable {
    case invalidJSON
    case tooLarge(limit: Int)
    case missingField(String)
    case invalidField(String, String)
    case unknownType(String)
    case notJoined
    case alreadyJoined
    case unknownPeer(String)
    case roomFull(limit: Int)
    case rateLimited
    case notAvailable(String)
    case invalidSdp(String)
    case negotiationFailed(String)
    case mediaClosed(String)
    case forbidden(String)
    case roomLocked
    /// A publish offer with more media sections than a participant may offer at once.
    case tooManySections(limit: Int)
    /// A publish offer that would give its participant more tracks than it may have.
    case tooManyTracks(limit: Int)
    /// The client's address holds as many signaling sockets as it may; this one is closed.
    case tooManySockets(limit: Int)
    /// The server is shutting down and takes no new rooms.
    case serverDraining
    /// A `resume` whose participant is gone (its grace ran out, or the server restarted).
    case resumeFailed

    public var code: String {
        switch self {
        case .invalidJSON: "invalid-json"
        case .tooLarge: "too-large"
        case .missingField: "missing-field"
        case .invalidField: "invalid-field"
        case .unknownType: "unknown-type"
        case .notJoined: "not-joined"
        case .alreadyJoined: "already-joined"
        case .unknownPeer: "unknown-peer"
        case .roomFull: "room-full"
        case .rateLimited: "rate-limited"
        case .notAvailable: "not-available"
        case .invalidSdp: "invalid-sdp"
        case .negotiationFailed: "negotiation-failed"
        case .mediaClosed: "media-closed"
        case .forbidden: "forbidden"
        case .roomLocked: "room-locked"
        case .tooManySections: "too-many-sections"
        case .tooManyTracks: "too-many-tracks"
        case .tooManySockets: "too-many-sockets"
        case .serverDraining: "server-draining"
        case .resumeFailed: "resume-failed"
        }
    }

    public var message: String {
        switch self {
        case .invalidJSON: "the frame is not a JSON object"
        case .tooLarge(let limit): "the frame is larger than \(limit) bytes"
        case .missingField(let field): "the field '\(field)' is missing or not a string"
        case .invalidField(let field, let rule): "the field '\(field)' must be \(rule)"
        case .unknownType(let type): "unknown message type '\(type)'"
        case .notJoined: "join a room first"
        case .alreadyJoined: "this connection is already in a room"
        case .unknownPeer(let id): "no peer '\(id)' in this room"
        case .roomFull(let limit): "the room is full (\(limit) participants)"
        case .rateLimited: "too many messages; slow down"
        case .notAvailable(let what): "\(what) is not available"
        case .invalidSdp(let reason): "the SDP cannot be read: \(reason)"
        case .negotiationFailed(let reason): "the SDP cannot be negotiated: \(reason)"
        case .mediaClosed(let reason): "the media connection closed: \(reason)"
        case .forbidden(let reason): reason
        case .roomLocked: "the room is locked"
        case .tooManySections(let limit): "the offer has more than \(limit) media sections"
        case .tooManyTracks(let limit): "a participant may publish at most \(limit) tracks"
        case .tooManySockets(let limit): "at most \(limit) signaling sockets from one address"
        case .serverDraining: "the server is shutting down and opens no new rooms; try again shortly"
        case .resumeFailed: "there is no participant to resume; join again"
        }
    }
}
