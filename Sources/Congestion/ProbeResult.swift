/// The rate a probe cluster showed the path can carry.
public struct ProbeResult: Sendable, Equatable {
    public var clusterId: Int
    /// Bits per second.
    public var bitrate: Int

    public init(clusterId: Int, bitrate: Int) {
        self.clusterId = clusterId
        self.bitrate = bitrate
    }
}
