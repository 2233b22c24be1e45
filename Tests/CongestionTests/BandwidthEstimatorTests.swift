import Congestion
import Testing

/// The whole estimator on a simulated path (`SimulatedCall`): 1200-byte packets, feedback every
/// 50 ms, 40 ms propagation delay each way, a 100 kB drop-tail queue.
@Suite struct BandwidthEstimatorTests {
    static let second: UInt64 = 1_000_000_000

    @Test func rampUpReachesTheOfferedRateWithinFiveSeconds() {
        var call = SimulatedCall(link: SimulatedLink(bitsPerSecond: 2_500_000), offeredBitrate: 2_000_000)
        call.run(until: 10 * Self.second)
        let reached = call.firstTime(from: 0) { $0 >= 1_600_000 }
        #expect(reached != nil && reached! <= 5 * Self.second, "\(call.trace(from: 0, to: 10 * Self.second))")
        // Stays there, and the queue stays short: probes and increases never build a lasting queue.
        #expect(call.firstTime(from: 5 * Self.second) { $0 < 1_600_000 } == nil)
        #expect(call.maximumQueueDelay(from: 0, to: 10 * Self.second) < 100_000_000)
        #expect(call.probesSent >= 2)
    }

    @Test func followsTheCapacityHalvingWithinTwoSeconds() {
        var link = SimulatedLink(bitsPerSecond: 2_000_000)
        link.capacity.append((20 * Self.second, 1_000_000))
        var call = SimulatedCall(link: link, offeredBitrate: 2_500_000)
        call.run(until: 30 * Self.second)
        let trace = call.trace(from: 15 * Self.second, to: 30 * Self.second)
        // Before the change it uses the link.
        #expect(call.estimate(at: 19 * Self.second) >= 1_500_000, "\(trace)")
        let followed = call.firstTime(from: 20 * Self.second) { $0 <= 1_100_000 }
        #expect(followed != nil && followed! <= 22 * Self.second, "\(trace)")
        // And stays near the new capacity without the queue growing without bound.
        let later = (25...29).map { call.estimate(at: UInt64($0) * Self.second) }
        #expect(later.allSatisfy { $0 <= 1_100_000 && $0 >= 600_000 }, "\(trace)")
        #expect(call.maximumQueueDelay(from: 24 * Self.second, to: 30 * Self.second) < 200_000_000, "\(trace)")
    }

    @Test func recoversWhenTheCapacityReturnsWithinFiveSeconds() {
        var link = SimulatedLink(bitsPerSecond: 2_000_000)
        link.capacity.append((20 * Self.second, 1_000_000))
        link.capacity.append((40 * Self.second, 2_000_000))
        var call = SimulatedCall(link: link, offeredBitrate: 2_500_000)
        call.run(until: 50 * Self.second)
        let trace = call.trace(from: 35 * Self.second, to: 50 * Self.second)
        #expect(call.estimate(at: 39 * Self.second) <= 1_100_000, "\(trace)")
        let recovered = call.firstTime(from: 40 * Self.second) { $0 >= 1_600_000 }
        #expect(recovered != nil && recovered! <= 45 * Self.second, "\(trace)")
    }

    @Test func fivePercentRandomLossDoesNotCollapseTheEstimate() {
        var link = SimulatedLink(bitsPerSecond: 10_000_000)
        link.lossRate = 0.05
        var call = SimulatedCall(link: link, offeredBitrate: 2_000_000)
        call.run(until: 30 * Self.second)
        let trace = call.trace(from: 0, to: 30 * Self.second)
        let lowest = call.lowestEstimate(from: 5 * Self.second, to: 30 * Self.second)
        #expect(lowest >= 1_600_000, "\(trace)")
        #expect(call.estimator.lossFraction < 0.15)
    }

    @Test func twentyPercentRandomLossBringsTheEstimateDown() {
        var link = SimulatedLink(bitsPerSecond: 10_000_000)
        link.lossRate = 0.2
        var call = SimulatedCall(link: link, offeredBitrate: 2_000_000)
        call.run(until: 20 * Self.second)
        let trace = call.trace(from: 0, to: 20 * Self.second)
        #expect(call.estimate(at: 20 * Self.second - SimulatedCall.step) <= 1_000_000, "\(trace)")
        #expect(call.estimator.lossBasedBitrate < call.estimator.delayBasedBitrate)
    }

    @Test func surviveTheReceiverReferenceTimeWrap() {
        // The receiver's clock wraps 2^24 × 64 ms three seconds into the call.
        let wrap: UInt64 = (1 << 24) * 64_000_000
        var call = SimulatedCall(
            link: SimulatedLink(bitsPerSecond: 2_500_000), offeredBitrate: 2_000_000,
            receiverClockOffset: wrap - 3 * Self.second)
        call.run(until: 10 * Self.second)
        #expect(call.lowestEstimate(from: 2 * Self.second, to: 10 * Self.second) >= 1_600_000,
            "\(call.trace(from: 0, to: 10 * Self.second))")
    }

    @Test func cutsTheEstimateWhenFeedbackStops() {
        var estimator = BandwidthEstimator(configuration: .init(initialBitrate: 1_000_000))
        #expect(estimator.nextTimeout == nil)
        estimator.packetSent(transportSequenceNumber: 1, size: 1_200, at: 0)
        #expect(estimator.nextTimeout == Self.second)
        estimator.handleTimeout(at: Self.second)
        #expect(estimator.estimate == 800_000)
        #expect(estimator.nextTimeout == 2 * Self.second)
        estimator.handleTimeout(at: 2 * Self.second)
        #expect(estimator.estimate == 640_000)
    }

    @Test func aPathChangeAfterAnOutageStartsFromTheEstimateBeforeIt() {
        // Eight seconds with nothing getting through (the receiver's network went away), then
        // the path moves (an ICE restart) to one of the same capacity.
        var link = SimulatedLink(bitsPerSecond: 2_500_000)
        link.outages = [20 * Self.second..<28 * Self.second]
        var moved = SimulatedCall(link: link, offeredBitrate: 2_000_000)
        moved.pathChanges = [28 * Self.second]
        moved.run(until: 35 * Self.second)
        let trace = moved.trace(from: 18 * Self.second, to: 35 * Self.second)
        #expect(moved.estimate(at: 19 * Self.second) >= 1_600_000, "\(trace)")
        #expect(moved.estimate(at: 28 * Self.second - 100_000_000) < 1_000_000, "cut while feedback was silent: \(trace)")
        let back = moved.firstTime(from: 28 * Self.second) { $0 >= 1_600_000 }
        #expect(back != nil && back! <= 28 * Self.second + 200_000_000, "\(trace)")
        #expect(moved.lowestEstimate(from: 28 * Self.second, to: 35 * Self.second) >= 1_600_000, "\(trace)")

        // Not told of the move, the estimator reads the outage's packets as lost to congestion.
        var unmoved = SimulatedCall(link: link, offeredBitrate: 2_000_000)
        unmoved.run(until: 35 * Self.second)
        #expect(unmoved.lowestEstimate(from: 28 * Self.second, to: 30 * Self.second) < 1_000_000,
            "\(unmoved.trace(from: 18 * Self.second, to: 35 * Self.second))")
    }

    @Test func asksForStartUpProbesAboveTheInitialEstimate() {
        var estimator = BandwidthEstimator(configuration: .init(initialBitrate: 500_000, maximumBitrate: 2_000_000))
        let first = estimator.pollProbe(at: 0)
        let second = estimator.pollProbe(at: 0)
        #expect(first?.bitrate == 1_500_000)
        #expect(second?.bitrate == 2_000_000)  // 6× capped at the maximum
        #expect(first?.clusterId != second?.clusterId)
        #expect(estimator.pollProbe(at: 0) == nil)
    }
}

extension BandwidthEstimatorTests {
    @Test func recoversFromACongestionEpisodeUnderSteadyRandomLoss() {
        // A path that always loses 5% at random (as a lossy Wi-Fi link does) and, for two
        // seconds, is congested: the cuts from that episode must not outlive it.
        var link = SimulatedLink(bitsPerSecond: 10_000_000)
        link.lossRate = 0.05
        link.capacity.append((15 * Self.second, 1_000_000))
        link.capacity.append((17 * Self.second, 10_000_000))
        var call = SimulatedCall(link: link, offeredBitrate: 3_500_000)
        call.run(until: 40 * Self.second)
        let trace = call.trace(from: 10 * Self.second, to: 40 * Self.second)
        #expect(call.estimate(at: 14 * Self.second) >= 3_000_000, "\(trace)")
        #expect(call.lowestEstimate(from: 15 * Self.second, to: 19 * Self.second) < 2_000_000, "the episode is seen\n\(trace)")
        let recovered = call.firstTime(from: 17 * Self.second) { $0 >= 3_000_000 }
        #expect(recovered != nil && recovered! <= 25 * Self.second, "\(trace)")
    }
}
