import Fluent
import FluentSQL

/// An index on a chat message's room and time: joining a room reads its latest messages, and
/// every message stored deletes those past the room's retention, both by room, newest first.
/// Without it each of them reads the messages of every room.
struct AddChatMessageRoomIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "chat_messages_room_created_at")
            .on(ChatMessage.schema)
            .column("room")
            .column("created_at")
            .run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "chat_messages_room_created_at").run()
    }
}
