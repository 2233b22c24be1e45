/// Which live node a new room goes to: a pure choice over the directory's listing, so the rule is
/// tested without a database.
enum RoomPlacementChoice {
    /// The least-loaded node that takes rooms. Draining nodes take none. Loads compare by
    /// participants first (each one costs signaling, and media in sfu rooms), then forwarded
    /// packets a second (media rooms of equal size can differ a lot), then CPU; the node id
    /// breaks exact ties, so every node picks the same one from the same listing. Nil when no
    /// node takes rooms.
    ///
    /// The loads are those of the last heartbeats (2 s old at most), so rooms opened in a burst
    /// within one beat all go to the same node: placement evens the load out over time, not per room.
    static func leastLoaded(_ nodes: [ClusterNode]) -> ClusterNode? {
        nodes.filter { !$0.draining }.min { a, b in
            (a.load.participants, a.load.packetsPerSecond, a.load.cpu, a.id)
                < (b.load.participants, b.load.packetsPerSecond, b.load.cpu, b.id)
        }
    }
}
