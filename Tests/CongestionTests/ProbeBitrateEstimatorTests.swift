import Testing

@testable import Congestion

@Suite struct ProbeBitrateEstimatorTests {
    static let ms: UInt64 = 1_000_000

    /// Five 1200-byte packets of cluster 1 sent 1 ms apart, arriving `receiveSpacing` ms apart
    /// (nil arrival for the indices in `lost`).
    func cluster(receiveSpacing: Double, lost: Set<Int> = []) -> (ProbeBitrateEstimator, [PacketResult]) {
        var estimator = ProbeBitrateEstimator()
        var results: [PacketResult] = []
        for index in 0..<5 {
            estimator.packetSent(cluster: 1, at: UInt64(index) * Self.ms)
            results.append(
                PacketResult(
                    sequenceNumber: Int64(index), sendTime: UInt64(index) * Self.ms, size: 1_200, probeCluster: 1,
                    arrivalTime: lost.contains(index) ? nil : 50_000_000 + Int64(Double(index) * receiveSpacing * 1e6)))
        }
        return (estimator, results)
    }

    @Test func aProbeSlowedByThePathGivesJustUnderItsReceiveRate() {
        var (estimator, results) = cluster(receiveSpacing: 2)
        // Sent at 4 × 9600 bits / 4 ms = 9.6 Mbit/s, received at 4.8 Mbit/s.
        #expect(estimator.update(results) == [ProbeResult(clusterId: 1, bitrate: 4_560_000)])
    }

    @Test func aProbeThePathKeptUpWithGivesItsSendRate() {
        var (estimator, results) = cluster(receiveSpacing: 0.95)
        #expect(estimator.update(results) == [ProbeResult(clusterId: 1, bitrate: 9_600_000)])
    }

    /// Ten 295-byte packets sent at 660 kbit/s (3.58 ms apart) through a 400 kbit/s shaper
    /// whose token bucket lets the first six through as they come (5.9 ms apart after it):
    /// the estimate is the shaper's rate, not the rate the head of the cluster arrived at.
    @Test func aShapersBucketDoesNotPassForCapacity() {
        var estimator = ProbeBitrateEstimator()
        let sendSpacing: UInt64 = 3_576_000
        var results: [PacketResult] = []
        for index in 0..<10 {
            let sent = UInt64(index) * sendSpacing
            estimator.packetSent(cluster: 1, at: sent)
            let arrival = index < 6 ? Int64(sent) : Int64(5 * sendSpacing) + Int64(index - 5) * 5_900_000
            results.append(
                PacketResult(sequenceNumber: Int64(index), sendTime: sent, size: 295, probeCluster: 1, arrivalTime: 40_000_000 + arrival))
        }
        let bitrate = estimator.update(results).first?.bitrate ?? 0
        // Read over the whole cluster it arrived at 512 kbit/s (9 × 295 bytes in 41.5 ms).
        #expect(bitrate <= 440_000)
        #expect(bitrate >= 360_000)
    }

    @Test func needsEightyPercentOfTheCluster() {
        var (estimator, results) = cluster(receiveSpacing: 1, lost: [1, 3])
        #expect(estimator.update(results).isEmpty)
        var (estimator2, results2) = cluster(receiveSpacing: 1, lost: [3])
        #expect(estimator2.update(results2).count == 1)
    }

    @Test func waitsForTheWholeClusterAcrossFeedbacks() {
        var (estimator, results) = cluster(receiveSpacing: 2)
        #expect(estimator.update(Array(results.prefix(3))).isEmpty)
        #expect(estimator.update([]).isEmpty)
        #expect(estimator.update(Array(results.suffix(2))).map(\.bitrate) == [4_560_000])
        // Reported once only.
        #expect(estimator.update(results).isEmpty)
    }

    @Test func ignoresMediaAndUnknownClusters() {
        var estimator = ProbeBitrateEstimator()
        let media = PacketResult(sequenceNumber: 0, sendTime: 0, size: 1_200, probeCluster: nil, arrivalTime: 0)
        let unknown = PacketResult(sequenceNumber: 1, sendTime: 0, size: 1_200, probeCluster: 9, arrivalTime: 0)
        #expect(estimator.update([media, unknown]).isEmpty)
    }
}
