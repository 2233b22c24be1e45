/// What the directory refuses.
public enum ClusterDirectoryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A live node already goes by this id (another process given the same --node-id).
    case nodeIDInUse(String)

    public var description: String {
        switch self {
        case .nodeIDInUse(let id): "cluster: node id \(id) is held by a live node; give this one another --node-id"
        }
    }
}
