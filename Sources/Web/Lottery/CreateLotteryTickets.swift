import Fluent

struct CreateLotteryTickets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LotteryTicket.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("picked", .string, .required)
            .field("drawn", .string, .required)
            .field("matched", .string, .required)
            .field("match_count", .int, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LotteryTicket.schema).delete()
    }
}
