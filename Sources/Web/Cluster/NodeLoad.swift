/// How busy a node is, as it reports at each heartbeat: what a later placement compares.
public struct NodeLoad: Sendable, Equatable, Codable {
    public var rooms: Int
    public var participants: Int
    /// Packets the media workers forwarded a second over the last interval.
    public var packetsPerSecond: Double
    /// The process's share of the machine's CPU over the last interval, 0 to 1 (1: every core busy).
    public var cpu: Double

    public init(rooms: Int = 0, participants: Int = 0, packetsPerSecond: Double = 0, cpu: Double = 0) {
        self.rooms = rooms
        self.participants = participants
        self.packetsPerSecond = packetsPerSecond
        self.cpu = cpu
    }
}
