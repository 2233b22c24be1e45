import Foundation
import SQLKit

/// The cluster's rooms in PostgreSQL's `cluster_rooms` table: who owns a room, placing it, and
/// giving it up. A row counts only while its owner's lease runs, checked with the database's
/// clock, like the directory's.
struct ClusterRooms: Sendable {
    let database: any SQLDatabase

    /// The live owner of `room`, nil when no row names a live node (no row, or the owner died or
    /// restarted).
    func owner(of room: String) async throws -> RoomOwner? {
        try await record(of: room)?.owner
    }

    /// `room`'s row, when it names a live node (`ClusterDirectory.liveNode`).
    func record(of room: String) async throws -> RoomRecord? {
        let row = try await database.raw("""
            SELECT r.node_id, r.generation, n.public_url FROM \(ident: CreateClusterRooms.schema) r
            JOIN \(ident: CreateClusterNodes.schema) n ON n.id = r.node_id AND n.incarnation = r.incarnation
            WHERE r.name = \(bind: room) AND \(unsafeRaw: ClusterDirectory.liveNode("n"))
            """).first()
        guard let row else { return nil }
        return RoomRecord(
            owner: RoomOwner(
                nodeID: try row.decode(column: "node_id", as: String.self),
                publicURL: Self.trimmed(try row.decode(column: "public_url", as: String.self))),
            generation: try row.decode(column: "generation", as: String?.self))
    }

    /// Writes `node` as the owner of `room` unless a live node owns it already. One statement:
    /// of nodes racing on the same room, the primary key lets one insert, and the others' updates
    /// find a live owner and change nothing; a row whose owner died is taken over in the same
    /// statement, so two nodes taking it over cannot both win. Nothing is written when `node`
    /// itself is not live. A row taken over keeps its chat generation: the call goes on where its
    /// node died; a new row gets `generation`.
    func place(_ room: String, on node: String, generation: String? = nil) async throws {
        try await database.raw("""
            INSERT INTO \(ident: CreateClusterRooms.schema) AS r (name, node_id, incarnation, created_at, generation)
            SELECT \(bind: room), n.id, n.incarnation, now(), \(bind: generation) FROM \(ident: CreateClusterNodes.schema) n
            WHERE n.id = \(bind: node) AND \(unsafeRaw: ClusterDirectory.liveNode("n"))
            ON CONFLICT (name) DO UPDATE SET node_id = EXCLUDED.node_id, incarnation = EXCLUDED.incarnation,
                created_at = EXCLUDED.created_at, generation = COALESCE(r.generation, EXCLUDED.generation)
            WHERE NOT EXISTS (
                SELECT 1 FROM \(ident: CreateClusterNodes.schema) live
                WHERE live.id = r.node_id AND live.incarnation = r.incarnation AND \(unsafeRaw: ClusterDirectory.liveNode("live")))
            """).run()
    }

    /// The chat generation of `room`'s row, `generation` written first if it had none (a row
    /// from before generations were kept); nil when there is no row.
    func generation(of room: String, orIfNone generation: String) async throws -> String? {
        let row = try await database.raw("""
            UPDATE \(ident: CreateClusterRooms.schema) SET generation = COALESCE(generation, \(bind: generation))
            WHERE name = \(bind: room) RETURNING generation
            """).first()
        return try row?.decode(column: "generation", as: String?.self)
    }

    /// Hands `room` from `membership`'s node to the live node `target`, if the row is still
    /// `membership`'s; the new owner, nil when nothing moved.
    func move(_ room: String, from membership: ClusterDirectory.Membership, to target: String) async throws -> RoomOwner? {
        let row = try await database.raw("""
            UPDATE \(ident: CreateClusterRooms.schema) r SET node_id = n.id, incarnation = n.incarnation, created_at = now()
            FROM \(ident: CreateClusterNodes.schema) n
            WHERE r.name = \(bind: room) AND r.node_id = \(bind: membership.nodeID) AND r.incarnation = \(bind: membership.incarnation)
                AND n.id = \(bind: target) AND \(unsafeRaw: ClusterDirectory.liveNode("n"))
            RETURNING n.id, n.public_url
            """).first()
        guard let row else { return nil }
        return RoomOwner(
            nodeID: try row.decode(column: "id", as: String.self),
            publicURL: Self.trimmed(try row.decode(column: "public_url", as: String.self)))
    }

    /// Deletes the row of `room` if it is still `membership`'s: a node that took the room over
    /// meanwhile keeps it.
    func release(_ room: String, by membership: ClusterDirectory.Membership) async throws {
        try await database.raw("""
            DELETE FROM \(ident: CreateClusterRooms.schema)
            WHERE name = \(bind: room) AND node_id = \(bind: membership.nodeID) AND incarnation = \(bind: membership.incarnation)
            """).run()
    }

    /// A public URL without its trailing slash, so that a path can follow it.
    static func trimmed(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
