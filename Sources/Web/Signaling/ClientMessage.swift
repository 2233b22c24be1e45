import Foundation

/// A message from a client on the signaling socket (DESIGN.md, "Signaling").
public enum ClientMessage: Equatable, Sendable {
    case join(room: String, name: String, mode: CallMode, token: String?)
    case publish(sdp: String)
    case answer(sdp: String)
    case candidate(connection: String, candidate: String)
    case signal(to: String, data: JSONValue)
    case chat(text: String)
    case leave

    /// The largest text frame accepted: an SDP with many m-lines fits with room to spare.
    public static let maximumFrameLength = 64 * 1024
    public static let maximumNameLength = 64
    public static let maximumRoomLength = 64
    public static let maximumChatLength = 2000

    /// Decodes one text frame, with an error a client can act on for each way it can be wrong.
    public static func decode(_ text: String) throws(SignalingError) -> ClientMessage {
        guard text.utf8.count <= maximumFrameLength else { throw .tooLarge(limit: maximumFrameLength) }
        guard let object = try? JSONDecoder().decode(Fields.self, from: Data(text.utf8)) else {
            throw .invalidJSON
        }
        guard let type = object.strings["type"] else { throw .missingField("type") }

        func string(_ key: String) throws(SignalingError) -> String {
            guard let value = object.strings[key] else { throw .missingField(key) }
            return value
        }

        switch type {
        case "join":
            let room = try string("room")
            let name = try string("name")
            guard !room.isEmpty, room.count <= maximumRoomLength,
                room.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            else { throw .invalidField("room", "1 to \(maximumRoomLength) letters, digits, '-' or '_'") }
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= maximumNameLength else {
                throw .invalidField("name", "1 to \(maximumNameLength) characters")
            }
            let modeText = object.strings["mode"] ?? CallMode.auto.rawValue
            guard let mode = CallMode(rawValue: modeText) else {
                throw .invalidField("mode", "one of auto, sfu, p2p")
            }
            return .join(room: room, name: trimmed, mode: mode, token: object.strings["token"])
        case "publish":
            return .publish(sdp: try string("sdp"))
        case "answer":
            return .answer(sdp: try string("sdp"))
        case "candidate":
            let connection = try string("pc")
            guard connection == "publish" || connection == "subscribe" else {
                throw .invalidField("pc", "publish or subscribe")
            }
            return .candidate(connection: connection, candidate: try string("candidate"))
        case "signal":
            let to = try string("to")
            guard let data = object.data else { throw .missingField("data") }
            return .signal(to: to, data: data)
        case "chat":
            let text = try string("text")
            guard !text.isEmpty, text.count <= maximumChatLength else {
                throw .invalidField("text", "1 to \(maximumChatLength) characters")
            }
            return .chat(text: text)
        case "leave":
            return .leave
        default:
            throw .unknownType(type)
        }
    }
}

/// The fields of a frame: every string-valued member, and `data` as any JSON. A member of the
/// wrong type reads as missing, so the client is told which field is wrong.
private struct Fields: Decodable {
    var strings: [String: String] = [:]
    var data: JSONValue?

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys {
            if key.stringValue == "data" {
                data = try container.decode(JSONValue.self, forKey: key)
            } else if let value = try? container.decode(String.self, forKey: key) {
                strings[key.stringValue] = value
            }
        }
    }
}

/// How a room carries media (DESIGN.md): through the relay, directly between browsers, or
/// directly while two are in and through the relay from the third.
public enum CallMode: String, Sendable, Codable {
    case auto
    case sfu
    case p2p
}
