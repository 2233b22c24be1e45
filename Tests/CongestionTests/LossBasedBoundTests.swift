import Testing

@testable import Congestion

@Suite struct LossBasedBoundTests {
    static let ms: UInt64 = 1_000_000

    @Test func highLossCutsFromTheEstimate() {
        var bound = LossBasedBound()
        #expect(bound.bitrate == 10_000_000)  // no bound before any loss
        bound.update(lost: 20, reported: 100, estimate: 1_000_000, at: 0)
        #expect(bound.bitrate == 900_000)  // 1 Mbit/s × (1 − 0.5 × 0.2)
        #expect(bound.lossFraction == 0.2)
        // Again within the decrease interval: held.
        bound.update(lost: 20, reported: 100, estimate: 1_000_000, at: 100 * Self.ms)
        #expect(bound.bitrate == 900_000)
        bound.update(lost: 20, reported: 100, estimate: 1_000_000, at: 400 * Self.ms)
        #expect(bound.bitrate == 810_000)
    }

    @Test func moderateLossHolds() {
        var bound = LossBasedBound()
        bound.update(lost: 50, reported: 100, estimate: 1_000_000, at: 0)
        let held = bound.bitrate
        bound.update(lost: 5, reported: 100, estimate: 1_000_000, at: 1_000 * Self.ms)
        #expect(bound.bitrate == held)
    }

    @Test func lowLossLetsItRise() {
        var bound = LossBasedBound()
        bound.update(lost: 50, reported: 100, estimate: 1_000_000, at: 0)
        #expect(bound.bitrate == 750_000)
        bound.update(lost: 1, reported: 100, estimate: 1_000_000, at: 1_000 * Self.ms)
        #expect(bound.bitrate == 787_500)
    }

    @Test func waitsForEnoughPackets() {
        var bound = LossBasedBound()
        // One lost of five is not 20% loss yet.
        bound.update(lost: 1, reported: 5, estimate: 1_000_000, at: 0)
        #expect(bound.bitrate == 10_000_000)
        bound.update(lost: 0, reported: 15, estimate: 1_000_000, at: 50 * Self.ms)
        #expect(bound.lossFraction == 0.05)
        #expect(bound.bitrate == 10_000_000)
    }

    @Test func countsLossInResults() {
        var bound = LossBasedBound()
        let results = (0..<20).map {
            PacketResult(sequenceNumber: Int64($0), sendTime: 0, size: 100, probeCluster: nil, arrivalTime: $0 < 16 ? 0 : nil)
        }
        bound.update(results, estimate: 2_000_000, at: 0)
        #expect(bound.lossFraction == 0.2)
        #expect(bound.bitrate == 1_800_000)
    }

    @Test func aCutStopsAtThreeQuartersOfWhatTheReceiverGot() {
        var bound = LossBasedBound()
        // 3.4 Mbit/s into a 400 kbit/s path: 88% lost, cut after cut.
        var now: UInt64 = 0
        for _ in 0..<20 {
            bound.update(lost: 88, reported: 100, estimate: 3_400_000, acknowledged: 400_000, at: now)
            now += 300 * Self.ms
        }
        #expect(bound.bitrate == 300_000)
        // Without an acknowledged rate the cuts go down to the minimum.
        var blind = LossBasedBound()
        now = 0
        for _ in 0..<20 {
            blind.update(lost: 88, reported: 100, estimate: 3_400_000, at: now)
            now += 300 * Self.ms
        }
        #expect(blind.bitrate == blind.configuration.minimumBitrate)
        // A cut never lifts the bound: below the floor already, it stays.
        bound.update(lost: 88, reported: 100, estimate: 100_000, acknowledged: 400_000, at: now)
        #expect(bound.bitrate == 100_000)
    }
}
