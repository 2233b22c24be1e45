/// Where a participant's media is carried: a media worker of this node, or of another node of
/// the cluster that carries it for this one (`RoomRegistry+Nodes`).
struct MediaLocation: Hashable, Sendable {
    /// The other node's id; nil for this node.
    let node: String?
    let worker: Int

    static func here(_ worker: Int) -> MediaLocation {
        MediaLocation(node: nil, worker: worker)
    }

    var isHere: Bool { node == nil }
}
