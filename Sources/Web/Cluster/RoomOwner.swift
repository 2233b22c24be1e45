/// The node a room lives on, as the cluster's room table says: where to send its clients.
public struct RoomOwner: Sendable, Equatable {
    public var nodeID: String
    /// The owner's `--public-url`, without a trailing slash.
    public var publicURL: String

    public init(nodeID: String, publicURL: String) {
        self.nodeID = nodeID
        self.publicURL = publicURL
    }
}
