import Foundation
import SQLKit

/// The cluster's nodes in PostgreSQL's `cluster_nodes` table: a node registers, beats, drains and
/// leaves; anyone lists the nodes whose lease has not run out.
///
/// Every time here is PostgreSQL's `now()`, never this machine's clock: leases are written and
/// compared by one clock, so nodes whose clocks disagree still agree on who is alive.
public struct ClusterDirectory: Sendable {
    let database: any SQLDatabase
    /// How long a beat keeps a node alive.
    let lease: Duration

    /// How long a node stays in the table after its lease ran out before any node deletes it: a
    /// node that missed its beats for a moment (a stalled connection) finds its own row again,
    /// start time and all, while the rows of nodes that died do not pile up.
    static let expiredRowGrace = Duration.seconds(60)

    public init(database: any SQLDatabase, lease: Duration) {
        self.database = database
        self.lease = lease
    }

    /// This start of the process in the directory, given by `register`.
    public struct Membership: Sendable, Equatable {
        public let nodeID: String
        let incarnation: UUID
    }

    /// Adds the node, or takes over a row of the same id whose node is dead (its lease ran out,
    /// or its presence session is gone). A node of the same id that is still alive keeps its row,
    /// and this throws `nodeIDInUse`. `presence` names the node's `NodePresence` session; without
    /// one, the lease alone says whether the node lives.
    public func register(_ node: NodeAnnouncement, presence: String? = nil) async throws -> Membership {
        let membership = Membership(nodeID: node.nodeID, incarnation: UUID())
        let rows = try await database.raw("""
            INSERT INTO \(ident: CreateClusterNodes.schema) AS n (id, incarnation, public_url, media_addresses, media_ports,
                http_port, started_at, heartbeat_at, lease_expires_at, rooms, participants, packets_per_second, cpu, draining,
                presence, media_fingerprint)
            VALUES (\(bind: node.nodeID), \(bind: membership.incarnation), \(bind: node.publicURL), \(bind: node.mediaAddresses),
                \(bind: node.mediaPorts), \(bind: node.httpPort), now(), now(), \(unsafeRaw: leaseEnd), 0, 0, 0, 0, false,
                \(bind: presence), \(bind: node.mediaFingerprint))
            ON CONFLICT (id) DO UPDATE SET incarnation = EXCLUDED.incarnation, public_url = EXCLUDED.public_url,
                media_addresses = EXCLUDED.media_addresses, media_ports = EXCLUDED.media_ports, http_port = EXCLUDED.http_port,
                started_at = now(), heartbeat_at = now(), lease_expires_at = EXCLUDED.lease_expires_at, rooms = 0,
                participants = 0, packets_per_second = 0, cpu = 0, draining = false, presence = EXCLUDED.presence,
                media_fingerprint = EXCLUDED.media_fingerprint
            WHERE NOT (\(unsafeRaw: Self.liveNode("n")))
            RETURNING id
            """).all()
        guard !rows.isEmpty else { throw ClusterDirectoryError.nodeIDInUse(node.nodeID) }
        return membership
    }

    /// Renews the lease and reports the load; a node that started draining stays draining. False
    /// when the row is no longer this membership's (deleted, or taken by another process of the
    /// same id): the node must register again.
    public func heartbeat(_ membership: Membership, load: NodeLoad, draining: Bool) async throws -> Bool {
        // Rooms whose owner's row is gone (it left, or died long enough ago) count as unowned
        // already; deleting them keeps the table the size of the live rooms. Done before the renewal, so
        // that it does not eat into the lease just renewed.
        try await database.raw("""
            DELETE FROM \(ident: CreateClusterRooms.schema) r WHERE NOT EXISTS (
                SELECT 1 FROM \(ident: CreateClusterNodes.schema) n WHERE n.id = r.node_id AND n.incarnation = r.incarnation)
            """).run()
        let rows = try await database.raw("""
            UPDATE \(ident: CreateClusterNodes.schema) SET heartbeat_at = now(), lease_expires_at = \(unsafeRaw: leaseEnd),
                rooms = \(bind: load.rooms), participants = \(bind: load.participants),
                packets_per_second = \(bind: load.packetsPerSecond), cpu = \(bind: load.cpu),
                draining = draining OR \(bind: draining)
            WHERE id = \(bind: membership.nodeID) AND incarnation = \(bind: membership.incarnation)
            RETURNING id
            """).all()
        try await database.raw("""
            DELETE FROM \(ident: CreateClusterNodes.schema)
            WHERE lease_expires_at < now() - \(unsafeRaw: Self.interval(Self.expiredRowGrace))
            """).run()
        return !rows.isEmpty
    }

    /// Marks the node draining at once, without waiting for its next beat.
    public func markDraining(_ membership: Membership) async throws {
        try await database.raw("""
            UPDATE \(ident: CreateClusterNodes.schema) SET draining = true
            WHERE id = \(bind: membership.nodeID) AND incarnation = \(bind: membership.incarnation)
            """).run()
    }

    /// Removes the node's row: it is gone without waiting for its lease.
    public func leave(_ membership: Membership) async throws {
        try await database.raw("""
            DELETE FROM \(ident: CreateClusterNodes.schema)
            WHERE id = \(bind: membership.nodeID) AND incarnation = \(bind: membership.incarnation)
            """).run()
    }

    /// The live nodes (`liveNode`), by id.
    public func liveNodes() async throws -> [ClusterNode] {
        let rows = try await database.raw("""
            SELECT id, public_url, media_addresses, media_ports, http_port, started_at, heartbeat_at,
                EXTRACT(EPOCH FROM lease_expires_at - now())::double precision AS lease_remaining,
                rooms, participants, packets_per_second, cpu, draining, media_fingerprint
            FROM \(ident: CreateClusterNodes.schema) n WHERE \(unsafeRaw: Self.liveNode("n")) ORDER BY id
            """).all()
        return try rows.map { row in
            ClusterNode(
                id: try row.decode(column: "id", as: String.self),
                publicURL: try row.decode(column: "public_url", as: String.self),
                mediaAddresses: try row.decode(column: "media_addresses", as: [String].self),
                mediaPorts: try row.decode(column: "media_ports", as: [Int].self),
                httpPort: try row.decode(column: "http_port", as: Int.self),
                startedAt: try row.decode(column: "started_at", as: Date.self),
                heartbeatAt: try row.decode(column: "heartbeat_at", as: Date.self),
                leaseRemaining: try row.decode(column: "lease_remaining", as: Double.self),
                load: NodeLoad(
                    rooms: try row.decode(column: "rooms", as: Int.self),
                    participants: try row.decode(column: "participants", as: Int.self),
                    packetsPerSecond: try row.decode(column: "packets_per_second", as: Double.self),
                    cpu: try row.decode(column: "cpu", as: Double.self)),
                draining: try row.decode(column: "draining", as: Bool.self),
                mediaFingerprint: try row.decode(column: "media_fingerprint", as: String?.self))
        }
    }

    /// How many nodes are alive.
    public func liveNodeCount() async throws -> Int {
        let row = try await database.raw("""
            SELECT count(*)::bigint AS live FROM \(ident: CreateClusterNodes.schema) n WHERE \(unsafeRaw: Self.liveNode("n"))
            """).first()
        return try row?.decode(column: "live", as: Int.self) ?? 0
    }

    /// Whether the node of the `cluster_nodes` row named `alias` lives, in SQL: its lease runs,
    /// and its presence session, when it has one, is still open. A node killed outright is dead at
    /// once (its kernel closes the session's connection); one that stalls, or loses the database,
    /// dies when its lease runs out. `alias` is always one of this module's literals.
    static func liveNode(_ alias: String) -> String {
        """
        (\(alias).lease_expires_at > now() AND (\(alias).presence IS NULL OR EXISTS (
            SELECT 1 FROM pg_stat_activity presence WHERE presence.application_name = \(alias).presence)))
        """
    }

    /// The end of a lease starting now, in SQL. The lease is a whole number of milliseconds
    /// written by this process, never input from outside, so it goes in the text.
    private var leaseEnd: String {
        "now() + " + Self.interval(lease)
    }

    static func interval(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return "interval '\(milliseconds) milliseconds'"
    }
}
