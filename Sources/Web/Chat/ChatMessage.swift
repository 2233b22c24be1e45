import Fluent
import Vapor

/// One message said in a chat room, kept so people who join later see the conversation.
final class ChatMessage: Model, @unchecked Sendable {
    static let schema = "chat_messages"

    @ID(key: .id) var id: UUID?
    @Field(key: "room") var room: String
    @Field(key: "author_name") var authorName: String
    @Field(key: "text") var text: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(room: String, authorName: String, text: String) {
        self.room = room
        self.authorName = authorName
        self.text = text
    }
}
