/// This node's part in rooms that span nodes: its id and URL, how it sends to the other nodes
/// (the node channel's `send`), and how many participants' media it carries before a room's
/// newcomers have theirs placed on another node (`RoomRegistry+Nodes`).
struct ClusterSpan: Sendable {
    let nodeID: String
    let publicURL: String
    /// Queues a message for a node, sent in order.
    let send: @Sendable (_ node: String, _ body: NodeMessage.Body) -> Void
    /// Nil: no limit, every participant's media stays on its room's node.
    let participantBudget: Int?
}
