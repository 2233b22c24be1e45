import Foundation

/// What the chat socket sends: a message (live or replayed on join) or an error about the
/// client's last frame. Encoded as one JSON object per text frame.
struct ChatEvent: Codable, Equatable, Sendable {
    var type: String
    var room: String?
    var author: String?
    var text: String?
    var ts: Double?
    var history: Bool?
    var message: String?

    static func message(_ message: ChatMessage, history: Bool) -> ChatEvent {
        ChatEvent(
            type: "message", room: message.room, author: message.authorName, text: message.text,
            ts: (message.createdAt ?? Date()).timeIntervalSince1970, history: history)
    }

    static func error(_ text: String) -> ChatEvent {
        ChatEvent(type: "error", message: text)
    }

    func encoded() -> String {
        let data = (try? JSONEncoder().encode(self)) ?? Data(#"{"type":"error","message":"encoding failed"}"#.utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// What the client sends: `{"text": "..."}`.
struct ChatInput: Decodable {
    var text: String
}
