import Fluent

/// The name of each node's presence session (`NodePresence`): a node whose session is gone is
/// dead without waiting for its lease. Null for a row written without one, whose lease alone
/// says whether it lives.
struct AddClusterNodePresence: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CreateClusterNodes.schema).field("presence", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CreateClusterNodes.schema).deleteField("presence").update()
    }
}
