import Congestion
import Testing

/// The receive-side estimator in a closed loop with a sender that follows its REMBs
/// (`SimulatedRembCall`): 40 ms propagation delay, a 100 kB drop-tail queue.
@Suite struct ReceiveSideEstimatorTests {
    static let second: UInt64 = 1_000_000_000

    @Test func absSendTimeUnwrapsAcrossItsSixtyFourSecondWrapAndKeepsReorderingBehind() {
        var unwrapper = AbsoluteSendTimeUnwrapper()
        let nearEnd = UInt32(0xFF_FFFF - 0x4_0000)  // 1 s before the wrap
        let first = unwrapper.unwrap(nearEnd)
        let afterWrap = unwrapper.unwrap(0x4_0000)  // 1 s after it
        // 0x80001 units of 2^-18 s apart: 2 s and 3.8 µs.
        #expect(afterWrap - first >= 2 * Self.second && afterWrap - first < 2 * Self.second + 10_000)
        let reordered = unwrapper.unwrap(0xFF_FFFF)  // sent just before the wrap, arrived after
        #expect(reordered < afterWrap && reordered > first)
        // Only the low 24 bits count.
        #expect(unwrapper.unwrap(0x0100_0000 | 0x4_0000) == afterWrap)
    }

    @Test func noEstimateUntilTwoSecondsOfArrivalsThenTheIncomingRate() {
        var estimator = ReceiveSideEstimator()
        // 100 packets a second of 1,000 bytes: 800 kbit/s, evenly spaced, no queueing.
        var time: UInt64 = 0
        while time < 1_900_000_000 {
            estimator.packetArrived(absSendTime: UInt32((time << 18) / Self.second & 0xFF_FFFF), size: 1_000, at: time + 5_000_000)
            time += 10_000_000
        }
        #expect(estimator.estimate == nil)
        #expect(estimator.nextReport == nil)
        while time < 2_100_000_000 {
            estimator.packetArrived(absSendTime: UInt32((time << 18) / Self.second & 0xFF_FFFF), size: 1_000, at: time + 5_000_000)
            time += 10_000_000
        }
        let estimate = try? #require(estimator.estimate)
        #expect(estimate.map { (760_000...840_000).contains($0) } == true, "\(String(describing: estimate))")
        #expect(estimator.pollReport(at: time) == estimate, "the first estimate is reported at once")
        #expect(estimator.pollReport(at: time + 1) == nil)
        #expect(estimator.nextReport == time + estimator.configuration.reportInterval)
    }

    @Test func aSenderFollowingItsRembsFillsTheLinkWithoutAStandingQueue() {
        var call = SimulatedRembCall(link: SimulatedLink(bitsPerSecond: 2_000_000), offeredBitrate: 5_000_000)
        call.run(until: 40 * Self.second)
        let trace = call.trace(from: 0, to: 40 * Self.second)
        let reached = call.firstTime(from: 0) { $0 >= 1_500_000 }
        #expect(reached != nil && reached! <= 25 * Self.second, "\(trace)")
        let late = (30...39).map { call.target(at: UInt64($0) * Self.second) }
        #expect(late.allSatisfy { $0 >= 1_300_000 && $0 <= 2_300_000 }, "\(trace)")
        #expect(call.maximumQueueDelay(from: 30 * Self.second, to: 40 * Self.second) < 300_000_000, "\(trace)")
        #expect(call.reports.count >= 35, "about one REMB a second, more on decreases")
    }

    @Test func followsTheCapacityHalvingWithinTwoSeconds() {
        var link = SimulatedLink(bitsPerSecond: 2_000_000)
        link.capacity.append((40 * Self.second, 1_000_000))
        var call = SimulatedRembCall(link: link, offeredBitrate: 5_000_000)
        call.run(until: 55 * Self.second)
        let trace = call.trace(from: 35 * Self.second, to: 55 * Self.second)
        #expect(call.target(at: 39 * Self.second) >= 1_300_000, "\(trace)")
        let followed = call.firstTime(from: 40 * Self.second) { $0 <= 1_100_000 }
        #expect(followed != nil && followed! <= 42 * Self.second, "\(trace)")
        let later = (46...54).map { call.target(at: UInt64($0) * Self.second) }
        #expect(later.allSatisfy { $0 <= 1_200_000 && $0 >= 500_000 }, "\(trace)")
    }

    @Test func recoversWhenTheCapacityReturns() {
        var link = SimulatedLink(bitsPerSecond: 2_000_000)
        link.capacity.append((30 * Self.second, 1_000_000))
        link.capacity.append((45 * Self.second, 2_000_000))
        var call = SimulatedRembCall(link: link, offeredBitrate: 5_000_000)
        call.run(until: 70 * Self.second)
        let trace = call.trace(from: 40 * Self.second, to: 70 * Self.second)
        #expect(call.target(at: 44 * Self.second) <= 1_200_000, "\(trace)")
        // Without probes the rate climbs at about 8% a second, so 1 → 1.5 Mbit/s takes seconds.
        let recovered = call.firstTime(from: 45 * Self.second) { $0 >= 1_500_000 }
        #expect(recovered != nil && recovered! <= 60 * Self.second, "\(trace)")
    }

    @Test func heavyLossBringsTheRateDownWhereDelayShowsNothing() {
        var link = SimulatedLink(bitsPerSecond: 10_000_000)
        link.lossRate = 0.3
        var call = SimulatedRembCall(link: link, offeredBitrate: 5_000_000, startBitrate: 1_000_000)
        call.run(until: 20 * Self.second)
        let trace = call.trace(from: 0, to: 20 * Self.second)
        #expect(call.estimator.lossFraction > 0.2, "\(trace)")
        #expect(call.target(at: 19 * Self.second) < 500_000, "\(trace)")
    }

    @Test func lightLossDoesNotHoldTheRateBack() {
        var link = SimulatedLink(bitsPerSecond: 2_000_000)
        link.lossRate = 0.01
        var call = SimulatedRembCall(link: link, offeredBitrate: 5_000_000)
        call.run(until: 40 * Self.second)
        let trace = call.trace(from: 0, to: 40 * Self.second)
        #expect((30...39).allSatisfy { call.target(at: UInt64($0) * Self.second) >= 1_300_000 }, "\(trace)")
    }
}
