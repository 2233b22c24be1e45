import Fluent
import FluentSQL

/// Binds each stored call chat message to the generation of the room it was said in. Rows from
/// before carry no generation and are marked private: nothing tells whether their room had a
/// password, so they are never replayed again.
struct AddCallChatGenerations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema(CallChatRecord.schema)
            .field("generation", .string, .required, .sql(.default("")))
            .update()
        try await database.schema(CallChatRecord.schema)
            .field("is_public", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CallChatRecord.schema).deleteField("is_public").update()
        try await database.schema(CallChatRecord.schema).deleteField("generation").update()
    }
}
