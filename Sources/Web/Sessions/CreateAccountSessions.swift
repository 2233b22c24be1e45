import Fluent
import Vapor

/// Sessions that expire and know their account, in place of Fluent's `_fluent_sessions`, whose
/// rows never expire: the old table is dropped, so everyone logs in once more.
struct CreateAccountSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountSession.schema)
            .id()
            .field("key", .string, .required)
            .field("data", .json, .required)
            .field("user_id", .uuid)
            .field("expires_at", .datetime, .required)
            .unique(on: "key")
            .create()
        try await database.schema(SessionRecord.schema).delete()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AccountSession.schema).delete()
        try await SessionRecord.migration.prepare(on: database).get()
    }
}
