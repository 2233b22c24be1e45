/// Reads probe clusters back from feedback: the rate a cluster was sent at and the rate it
/// arrived at. When the path could not carry the probe, the cluster arrives spread out and the
/// receive rate is the capacity; when it could, the send rate is what was shown to fit. The
/// result is the smaller of the two, and only when most of the cluster arrived. The receive rate
/// is read over the later half of the cluster: a shaper with a token bucket lets the first
/// packets through at line rate until the bucket is empty, and only then spaces them at the
/// rate it allows.
public struct ProbeBitrateEstimator: Sendable {
    struct Cluster: Sendable {
        var id: Int
        var createdAt: UInt64
        var sentPackets = 0
        var reportedPackets = 0
        var receivedPackets = 0
        var firstSendTime = UInt64.max
        var lastSendTime: UInt64 = 0
        var lastSentSize = 0
        var reportedBytes = 0
        /// (arrival time, size) of each packet that arrived, in the order reported.
        var arrivals: [(time: Int64, size: Int)] = []
    }

    /// A cluster counts when at least this fraction of its packets arrived.
    public var minimumReceivedFraction = 0.8
    /// Nanoseconds after which a cluster whose feedback never completed is dropped.
    public var clusterTimeout: UInt64 = 2_000_000_000
    /// Clusters followed at once; probes are rare, so a handful is plenty.
    public static let maximumClusters = 8

    private var clusters: [Cluster] = []

    public init() {
        clusters.reserveCapacity(Self.maximumClusters)
    }

    /// Counts a packet sent as part of cluster `id`.
    public mutating func packetSent(cluster id: Int, at now: UInt64) {
        clusters.removeAll { now > $0.createdAt + clusterTimeout }
        if let index = clusters.firstIndex(where: { $0.id == id }) {
            clusters[index].sentPackets += 1
            return
        }
        if clusters.count == Self.maximumClusters { clusters.removeFirst() }
        var cluster = Cluster(id: id, createdAt: now, sentPackets: 1)
        cluster.arrivals.reserveCapacity(16)
        clusters.append(cluster)
    }

    /// Adds one feedback's results; returns the clusters that are now fully reported and valid.
    public mutating func update(_ results: [PacketResult]) -> [ProbeResult] {
        var completed: [ProbeResult] = []
        for result in results {
            guard let id = result.probeCluster, let index = clusters.firstIndex(where: { $0.id == id }) else { continue }
            add(result, to: &clusters[index])
            let cluster = clusters[index]
            guard cluster.reportedPackets >= cluster.sentPackets else { continue }
            clusters.remove(at: index)
            if let bitrate = Self.bitrate(of: cluster, minimumReceivedFraction: minimumReceivedFraction) {
                completed.append(ProbeResult(clusterId: id, bitrate: bitrate))
            }
        }
        return completed
    }

    private func add(_ result: PacketResult, to cluster: inout Cluster) {
        cluster.reportedPackets += 1
        cluster.reportedBytes += result.size
        cluster.firstSendTime = min(cluster.firstSendTime, result.sendTime)
        if result.sendTime >= cluster.lastSendTime {
            cluster.lastSendTime = result.sendTime
            cluster.lastSentSize = result.size
        }
        guard let arrival = result.arrivalTime else { return }
        cluster.receivedPackets += 1
        cluster.arrivals.append((arrival, result.size))
    }

    /// The send rate counts bytes sent before the last packet left, over the send interval. The
    /// receive rate counts, of the later half of the arrivals, the bytes that arrived after its
    /// first, over the interval from that first to the last: each interval spans all but one
    /// packet of what it measures.
    static func bitrate(of cluster: Cluster, minimumReceivedFraction: Double) -> Int? {
        guard cluster.receivedPackets >= 2,
            Double(cluster.receivedPackets) >= minimumReceivedFraction * Double(cluster.sentPackets),
            cluster.lastSendTime > cluster.firstSendTime
        else { return nil }
        let arrivals = cluster.arrivals.sorted { $0.time < $1.time }
        let tail = arrivals[((arrivals.count - 1) / 2)...]
        guard let first = tail.first, let last = tail.last, last.time > first.time else { return nil }
        let sendInterval = Double(cluster.lastSendTime - cluster.firstSendTime)
        let receiveInterval = Double(last.time - first.time)
        let sendRate = Double(cluster.reportedBytes - cluster.lastSentSize) * 8e9 / sendInterval
        let receiveRate = Double(tail.dropFirst().reduce(0) { $0 + $1.size }) * 8e9 / receiveInterval
        // Arriving clearly slower than sent means the probe met the bottleneck: its receive rate
        // is the capacity, and a little under it leaves room for the queue to drain.
        if receiveRate < 0.9 * sendRate { return Int(0.95 * receiveRate) }
        return Int(min(sendRate, receiveRate))
    }
}
