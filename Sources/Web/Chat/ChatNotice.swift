import Foundation

/// What a node announces on PostgreSQL's NOTIFY after storing a site chat message, so the other
/// nodes deliver it to their sockets: the message itself when it fits, else only its id, which
/// the others read back from the database.
///
/// NOTIFY refuses a payload of 8000 bytes or more. A message is at most 2000 bytes of text, but
/// JSON may escape each byte as six, so a payload that would not fit is sent as the id alone,
/// never cut.
struct ChatNotice: Codable, Equatable, Sendable {
    /// The process that stored the message; it has delivered it already and skips the notice.
    var origin: UUID
    var id: UUID
    var room: String
    /// The message as the sockets get it; nil when it did not fit.
    var event: ChatEvent?

    /// Payloads stay under this many bytes: PostgreSQL's limit, 8000, less a margin.
    static let maximumPayloadBytes = 7900

    /// The payload for NOTIFY: the whole message if it fits, else without it. Nil only if even
    /// the id and the room do not fit, which a valid room name (40 characters) cannot cause.
    func payload(limit: Int = Self.maximumPayloadBytes) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for notice in [self, ChatNotice(origin: origin, id: id, room: room, event: nil)] {
            if let data = try? encoder.encode(notice), data.count < limit {
                return String(decoding: data, as: UTF8.self)
            }
        }
        return nil
    }

    /// A notice read from NOTIFY; nil for anything else on the channel.
    static func decode(_ payload: String) -> ChatNotice? {
        try? JSONDecoder().decode(ChatNotice.self, from: Data(payload.utf8))
    }
}
