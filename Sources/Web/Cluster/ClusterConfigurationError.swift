/// A cluster option from the command line that cannot be used.
public enum ClusterConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `--cluster` without `DATABASE_URL` naming a PostgreSQL server.
    case requiresPostgres
    /// A `--node-id` that is empty, too long, or has characters other than letters, digits, `.`, `-`, `_`.
    case invalidNodeID(String)
    /// A `--public-url` that is not an absolute http or https URL with a host.
    case invalidPublicURL(String)
    /// A heartbeat interval and lease that would let a live node look gone between two beats.
    case leaseTooShort
    /// A `--participant-budget` under 1.
    case invalidParticipantBudget(Int)

    public var description: String {
        switch self {
        case .requiresPostgres:
            "--cluster needs DATABASE_URL naming a PostgreSQL server (postgres://USER:PASSWORD@HOST:5432/DATABASE): the nodes of a cluster find each other in its cluster_nodes table"
        case .invalidNodeID(let id):
            "--node-id \(id.debugDescription): must be 1 to 64 letters, digits, '.', '-' or '_'"
        case .invalidPublicURL(let url):
            "--public-url \(url.debugDescription): must be an http:// or https:// URL with a host, such as https://relay1.example:8443"
        case .leaseTooShort:
            "the cluster lease must last at least twice the heartbeat interval"
        case .invalidParticipantBudget(let budget):
            "--participant-budget \(budget): must be at least 1"
        }
    }
}
