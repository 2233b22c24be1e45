import Foundation

/// How this server takes part in a cluster: the name it goes by, the URL it is reached at, and
/// how often it tells the directory it is alive.
///
/// The lease is what a SIGKILLed node leaves behind: the others see it gone when its lease runs
/// out. Heartbeats every 2 s and a lease of 8 s survive three lost beats (a slow query, a busy
/// database) and still see a dead node gone within 10 s of its last beat.
public struct ClusterConfiguration: Sendable, Equatable {
    public var nodeID: String
    public var publicURL: String
    public var heartbeatInterval: Duration
    public var lease: Duration
    /// How many participants' media this node carries before the newcomers of its rooms have
    /// theirs placed on another node (`--participant-budget`); nil: no limit.
    public var participantBudget: Int?

    public static let defaultHeartbeatInterval = Duration.seconds(2)
    public static let defaultLease = Duration.seconds(8)

    /// Checks what came from the command line. `database` must be PostgreSQL: SQLite is a file
    /// one machine owns, so nodes could not share it.
    public init(
        nodeID: String?, publicURL: String, database: DatabaseLocation,
        heartbeatInterval: Duration = Self.defaultHeartbeatInterval, lease: Duration = Self.defaultLease,
        participantBudget: Int? = nil
    ) throws(ClusterConfigurationError) {
        guard case .postgres = database else { throw .requiresPostgres }
        let id = nodeID ?? Self.generatedNodeID()
        guard Self.isValidNodeID(id) else { throw .invalidNodeID(id) }
        guard Self.isValidPublicURL(publicURL) else { throw .invalidPublicURL(publicURL) }
        guard heartbeatInterval > .zero, lease >= heartbeatInterval * 2 else { throw .leaseTooShort }
        if let participantBudget, participantBudget < 1 { throw .invalidParticipantBudget(participantBudget) }
        self.participantBudget = participantBudget
        self.nodeID = id
        self.publicURL = publicURL
        self.heartbeatInterval = heartbeatInterval
        self.lease = lease
    }

    /// A fresh id for each start of the process, so a restarted node is a new node and never
    /// waits for its previous life's lease to run out.
    static func generatedNodeID() -> String {
        "node-" + UUID().uuidString.prefix(8).lowercased()
    }

    static func isValidNodeID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count)
            && id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
    }

    static func isValidPublicURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil, components.query == nil, components.fragment == nil
        else { return false }
        return components.path.isEmpty || components.path == "/"
    }

    /// The URL a node announces when not told one: HTTPS on the first announced address when the
    /// server serves it (browsers give the camera only to secure pages), else plain HTTP.
    public static func derivedPublicURL(announcedAddress: String, httpPort: Int, httpsPort: Int?) -> String {
        let host = announcedAddress.contains(":") ? "[\(announcedAddress)]" : announcedAddress
        if let httpsPort {
            return "https://\(host):\(httpsPort)"
        }
        return "http://\(host):\(httpPort)"
    }
}
