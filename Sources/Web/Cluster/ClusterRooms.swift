import Foundation
import SQLKit

/// The cluster's rooms in PostgreSQL's `cluster_rooms` table: who owns a room, placing it, and
/// giving it up. A row counts only while its owner's lease runs, checked with the database's
/// clock, like the directory's.
struct ClusterRooms: Sendable {
    let database: any SQLDatabase

    /// The live owner of `room`, nil when no row names a node whose lease still runs (no row, or
    /// the owner died or restarted).
    func owner(of room: String) async throws -> RoomOwner? {
        let row = try await database.raw("""
            SELECT r.node_id, n.public_url FROM \(ident: CreateClusterRooms.schema) r
            JOIN \(ident: CreateClusterNodes.schema) n ON n.id = r.node_id AND n.incarnation = r.incarnation
            WHERE r.name = \(bind: room) AND n.lease_expires_at > now()
            """).first()
        guard let row else { return nil }
        return RoomOwner(
            nodeID: try row.decode(column: "node_id", as: String.self),
            publicURL: Self.trimmed(try row.decode(column: "public_url", as: String.self)))
    }

    /// Writes `node` as the owner of `room` unless a live node owns it already. One statement:
    /// of nodes racing on the same room, the primary key lets one insert, and the others' updates
    /// find a live owner and change nothing; a row whose owner's lease ran out is taken over in
    /// the same statement, so two nodes taking it over cannot both win. Nothing is written when
    /// `node` itself is no longer live.
    func place(_ room: String, on node: String) async throws {
        try await database.raw("""
            INSERT INTO \(ident: CreateClusterRooms.schema) (name, node_id, incarnation, created_at)
            SELECT \(bind: room), n.id, n.incarnation, now() FROM \(ident: CreateClusterNodes.schema) n
            WHERE n.id = \(bind: node) AND n.lease_expires_at > now()
            ON CONFLICT (name) DO UPDATE SET node_id = EXCLUDED.node_id, incarnation = EXCLUDED.incarnation,
                created_at = EXCLUDED.created_at
            WHERE NOT EXISTS (
                SELECT 1 FROM \(ident: CreateClusterNodes.schema) live
                WHERE live.id = \(ident: CreateClusterRooms.schema).node_id
                    AND live.incarnation = \(ident: CreateClusterRooms.schema).incarnation
                    AND live.lease_expires_at > now())
            """).run()
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
