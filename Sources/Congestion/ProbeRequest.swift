/// A request to the owner of the estimator to send a probe cluster: packets at `bitrate` for
/// about `duration`, at least `minimumPackets` of them, each recorded with `clusterId`
/// (draft-ietf-rmcat-gcc-02 leaves start-up to the implementation; probing with short bursts
/// above the estimate, and reading the rate they arrive at, finds capacity faster than AIMD).
public struct ProbeRequest: Sendable, Equatable {
    public var clusterId: Int
    /// Bits per second to send the cluster at.
    public var bitrate: Int
    public var minimumPackets: Int
    /// Nanoseconds.
    public var duration: UInt64

    public init(clusterId: Int, bitrate: Int, minimumPackets: Int = 5, duration: UInt64 = 15_000_000) {
        self.clusterId = clusterId
        self.bitrate = bitrate
        self.minimumPackets = minimumPackets
        self.duration = duration
    }

    /// How many packets of `packetSize` bytes the cluster needs.
    public func packetCount(packetSize: Int) -> Int {
        let bytes = Int64(bitrate) * Int64(duration) / 8_000_000_000
        let packets = Int((bytes + Int64(packetSize) - 1) / Int64(max(packetSize, 1)))
        return max(minimumPackets, packets)
    }

    /// Nanoseconds between packets of `packetSize` bytes at the cluster's rate.
    public func packetInterval(packetSize: Int) -> UInt64 {
        UInt64(packetSize) * 8_000_000_000 / UInt64(max(bitrate, 1))
    }
}
