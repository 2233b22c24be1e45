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
