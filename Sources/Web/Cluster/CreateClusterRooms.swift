import Fluent

/// Which node each call room lives on: one row per room that has participants on some node of the
/// cluster. The room name is the primary key, so of two nodes placing the same room at once the
/// database keeps one row, and both read back the same owner.
///
/// Registered with every other migration, clustered or not, like `CreateClusterNodes`.
struct CreateClusterRooms: AsyncMigration {
    static let schema = "cluster_rooms"

    func prepare(on database: any Database) async throws {
        try await database.schema(Self.schema)
            .field("name", .string, .identifier(auto: false))
            .field("node_id", .string, .required)
            // The owner's start of the process: a node restarted under the same --node-id does
            // not inherit the rooms of its previous life, which died with it.
            .field("incarnation", .uuid, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Self.schema).delete()
    }
}
