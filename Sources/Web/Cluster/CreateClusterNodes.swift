import Fluent

/// The cluster's directory of nodes: one row per running node, kept alive by its heartbeats.
///
/// Registered with every other migration, clustered or not: Fluent applies migrations in the
/// order they are listed and remembers them by name, so a table created only under `--cluster`
/// would give servers started with and without it different histories, and a later migration of
/// the cluster's tables would fail on the ones that never clustered. An empty table costs nothing.
struct CreateClusterNodes: AsyncMigration {
    static let schema = "cluster_nodes"

    func prepare(on database: any Database) async throws {
        try await database.schema(Self.schema)
            .field("id", .string, .identifier(auto: false))
            // Which start of the process holds the row: a node that lost its row to another
            // process of the same --node-id does not beat on the other's behalf.
            .field("incarnation", .uuid, .required)
            .field("public_url", .string, .required)
            .field("media_addresses", .array(of: .string), .required)
            .field("media_ports", .array(of: .int), .required)
            .field("http_port", .int, .required)
            .field("started_at", .datetime, .required)
            .field("heartbeat_at", .datetime, .required)
            .field("lease_expires_at", .datetime, .required)
            .field("rooms", .int, .required)
            .field("participants", .int, .required)
            .field("packets_per_second", .double, .required)
            .field("cpu", .double, .required)
            .field("draining", .bool, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Self.schema).delete()
    }
}
