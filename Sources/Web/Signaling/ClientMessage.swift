import Foundation

/// A message from a client on the signaling socket (DESIGN.md, "Signaling"; the additions are in
/// the README).
public enum ClientMessage: Equatable, Sendable {
    case join(JoinRequest)
    case publish(sdp: String)
    case answer(sdp: String)
    case candidate(connection: String, candidate: String)
    case signal(to: String, data: JSONValue)
    case chat(text: String, id: String?)
    /// The sender muted or unmuted its microphone or camera, or started or stopped sharing.
    case mediaState(MediaState)
    /// The sender's connection to the relay's media port failed: an auto room goes direct.
    case mediaFailed
    case lock(Bool)
    case leave
    /// A page whose socket dropped takes its place back with the token `resumable` gave it.
    case resume(token: String)
    /// Sfu mode: the size in device pixels at which the sender shows `peer`'s video, 0×0 when
    /// not on its screen; the relay sends it the layer that fits.
    case tile(peer: String, width: Int, height: Int)
    /// Sfu mode: the sender's subscribe connection lost its path; the relay offers an ICE
    /// restart on it (the publish connection restarts with the client's own offer).
    case restartIce

    /// The largest text frame accepted: an SDP with many m-lines fits with room to spare.
    public static let maximumFrameLength = 64 * 1024
    /// Names, chat texts and passwords are bounded in characters, as people count them, and in
    /// bytes: one character may be any number of combining scalars, and a name is sent to
    /// every member of the room in every `peer-joined` and `joined`, a text again in every replay.
    public static let maximumNameLength = 64
    public static let maximumNameBytes = 256
    public static let maximumRoomLength = 64
    public static let maximumChatLength = 2000
    /// The call page cuts a text at 2000 UTF-16 units, at most 6000 bytes of UTF-8.
    public static let maximumChatBytes = 8192
    public static let maximumPasswordLength = 128
    public static let maximumPasswordBytes = 512
    public static let maximumIdentifierLength = 64
    /// Larger than any screen in device pixels.
    public static let maximumTileSide = 16_384

    /// Decodes one text frame, with an error a client can act on for each way it can be wrong.
    public static func decode(_ text: String) throws(SignalingError) -> ClientMessage {
        guard text.utf8.count <= maximumFrameLength else { throw .tooLarge(limit: maximumFrameLength) }
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8)) else {
            throw .invalidJSON
        }
        let fields = MessageFields(values: object)
        let type = try fields.string("type")

        switch type {
        case "join":
            return .join(try joinRequest(fields))
        case "publish":
            return .publish(sdp: try fields.string("sdp"))
        case "answer":
            return .answer(sdp: try fields.string("sdp"))
        case "candidate":
            let connection = try fields.string("pc")
            guard connection == "publish" || connection == "subscribe" else {
                throw .invalidField("pc", "publish or subscribe")
            }
            return .candidate(connection: connection, candidate: try fields.string("candidate"))
        case "signal":
            let to = try fields.string("to")
            guard let data = fields.values["data"] else { throw .missingField("data") }
            return .signal(to: to, data: data)
        case "chat":
            let text = try fields.string("text")
            guard !text.isEmpty, text.count <= maximumChatLength, text.utf8.count <= maximumChatBytes else {
                throw .invalidField("text", "1 to \(maximumChatLength) characters, at most \(maximumChatBytes) bytes")
            }
            let id = try fields.optionalString("id")
            if let id, !isIdentifier(id) {
                throw .invalidField("id", "1 to \(maximumIdentifierLength) letters, digits, '-' or '_'")
            }
            return .chat(text: text, id: id)
        case "media-state":
            return .mediaState(MediaState(
                audio: try fields.bool("audio"), video: try fields.bool("video"),
                screen: try fields.optionalBool("screen") ?? false))
        case "media-failed":
            return .mediaFailed
        case "lock":
            return .lock(try fields.bool("locked"))
        case "leave":
            return .leave
        case "restart-ice":
            return .restartIce
        case "resume":
            let token = try fields.string("token")
            guard token.count == 32, token.allSatisfy(\.isHexDigit) else { throw .invalidField("token", "the token from 'resumable'") }
            return .resume(token: token)
        case "tile":
            let peer = try fields.string("peer")
            guard isIdentifier(peer) else { throw .invalidField("peer", "a participant id") }
            let width = try fields.optionalInteger("width")
            let height = try fields.optionalInteger("height")
            guard let width, let height, (0...maximumTileSide).contains(width), (0...maximumTileSide).contains(height) else {
                throw .invalidField("width", "width and height: whole numbers from 0 to \(maximumTileSide)")
            }
            return .tile(peer: peer, width: width, height: height)
        default:
            throw .unknownType(type)
        }
    }

    private static func joinRequest(_ fields: MessageFields) throws(SignalingError) -> JoinRequest {
        let room = try fields.string("room")
        guard isIdentifier(room) else {
            throw .invalidField("room", "1 to \(maximumRoomLength) letters, digits, '-' or '_'")
        }
        let name = try fields.string("name").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= maximumNameLength, name.utf8.count <= maximumNameBytes else {
            throw .invalidField("name", "1 to \(maximumNameLength) characters, at most \(maximumNameBytes) bytes")
        }
        let modeText = try fields.optionalString("mode") ?? CallMode.auto.rawValue
        guard let mode = CallMode(rawValue: modeText) else {
            throw .invalidField("mode", "one of auto, sfu, p2p")
        }
        let password = try fields.optionalString("password")
        guard (password?.count ?? 0) <= maximumPasswordLength, (password?.utf8.count ?? 0) <= maximumPasswordBytes else {
            throw .invalidField("password", "at most \(maximumPasswordLength) characters and \(maximumPasswordBytes) bytes")
        }
        let maximum = try fields.optionalInteger("maxParticipants")
        if let maximum, maximum < 2 {
            throw .invalidField("maxParticipants", "a whole number of at least 2")
        }
        return JoinRequest(
            room: room, name: name, mode: mode, token: try fields.optionalString("token"),
            password: password?.isEmpty == true ? nil : password, maximumParticipants: maximum)
    }

    /// Room names and message ids: short, and safe in a URL and a log line.
    static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.count <= maximumIdentifierLength
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

/// How a room carries media (DESIGN.md): through the relay, directly between browsers, or
/// directly while two are in and through the relay from the third.
public enum CallMode: String, Sendable, Codable {
    case auto
    case sfu
    case p2p
}
