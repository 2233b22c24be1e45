import Fluent

/// The name of each node's presence session (`NodePresence`): a node whose session is gone is
/// dead without waiting for its lease. Null for a row written without one, whose lease alone
/// says whether it lives. And its media plane's certificate fingerprint, which the rooms of other
/// nodes put in the SDP of the participants whose media they place on it.
struct AddClusterNodePresenceAndFingerprint: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema(CreateClusterNodes.schema).field("presence", .string).update()
        try await database.schema(CreateClusterNodes.schema).field("media_fingerprint", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CreateClusterNodes.schema).deleteField("media_fingerprint").update()
        try await database.schema(CreateClusterNodes.schema).deleteField("presence").update()
    }
}
