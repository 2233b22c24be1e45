import Fluent

struct CreateBlacklistEntries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BlacklistEntry.schema)
            .id()
            .field("kind", .string, .required)
            .field("value", .string, .required)
            .field("reason", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "kind", "value")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BlacklistEntry.schema).delete()
    }
}
