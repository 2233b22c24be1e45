import Foundation

/// A live node as the directory lists it. Times are the database's, so they compare across
/// machines whatever their clocks say.
public struct ClusterNode: Sendable, Equatable, Codable {
    public var id: String
    public var publicURL: String
    public var mediaAddresses: [String]
    public var mediaPorts: [Int]
    public var httpPort: Int
    public var startedAt: Date
    public var heartbeatAt: Date
    /// Seconds until the lease runs out unless the node beats again, by the database's clock.
    public var leaseRemaining: Double
    public var load: NodeLoad
    /// The node is shutting down: it takes no new rooms and will leave the directory.
    public var draining: Bool
    /// Its media plane's certificate fingerprint (`NodeAnnouncement.mediaFingerprint`).
    public var mediaFingerprint: String? = nil
}
