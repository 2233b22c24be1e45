import Fluent

struct CreateCallChatRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CallChatRecord.schema)
            .id()
            .field("room", .string, .required)
            .field("message_id", .string, .required)
            .field("sender", .string, .required)
            .field("name", .string, .required)
            .field("text", .string, .required)
            .field("ts", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CallChatRecord.schema).delete()
    }
}
