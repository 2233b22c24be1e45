import Fluent
import Vapor

/// A message of a call room's chat, as the database keeps it.
final class CallChatRecord: Model, @unchecked Sendable {
    static let schema = "call_chat_messages"

    @ID(key: .id) var id: UUID?
    @Field(key: "room") var room: String
    /// The generation of the room it was said in (`ChatRoomGeneration.id`).
    @Field(key: "generation") var generation: String
    /// Said while the room had no password and was not locked: replayed to later generations.
    @Field(key: "is_public") var isPublic: Bool
    @Field(key: "message_id") var messageId: String
    @Field(key: "sender") var sender: String
    @Field(key: "name") var name: String
    @Field(key: "text") var text: String
    /// Milliseconds since 1970, as the message carries it.
    @Field(key: "ts") var ts: Int64

    init() {}

    init(generation: ChatRoomGeneration, isPublic: Bool, message: CallChatMessage) {
        room = generation.room
        self.generation = generation.id
        self.isPublic = isPublic
        messageId = message.id
        sender = message.from
        name = message.name
        text = message.text
        ts = message.ts
    }

    var message: CallChatMessage {
        CallChatMessage(id: messageId, from: sender, name: name, text: text, ts: ts)
    }
}
