import Testing

@testable import Congestion

@Suite struct ProbeControllerTests {
    static let ms: UInt64 = 1_000_000
    static let second: UInt64 = 1_000_000_000

    func drain(_ controller: inout ProbeController, estimate: Int, at now: UInt64, delayState: DelayState = .normal) -> [ProbeRequest] {
        var requests: [ProbeRequest] = []
        while let request = controller.poll(estimate: estimate, delayState: delayState, at: now) { requests.append(request) }
        return requests
    }

    @Test func startsWithThreeAndSixTimesTheEstimate() {
        var controller = ProbeController()
        let requests = drain(&controller, estimate: 300_000, at: 0)
        #expect(requests.map(\.bitrate) == [900_000, 1_800_000])
        #expect(requests.allSatisfy { $0.minimumPackets == 5 && $0.duration == 15 * Self.ms })
        #expect(Set(requests.map(\.clusterId)).count == 2)
    }

    @Test func keepsDoublingWhileTheProbesComeBackFull() {
        var controller = ProbeController()
        let initial = drain(&controller, estimate: 300_000, at: 0)
        controller.probeResult(ProbeResult(clusterId: initial[1].clusterId, bitrate: 1_700_000), estimate: 1_700_000, at: 200 * Self.ms)
        let next = drain(&controller, estimate: 1_700_000, at: 200 * Self.ms)
        #expect(next.map(\.bitrate) == [3_400_000])
        // This one came back at half its target: the path is found, stop.
        controller.probeResult(ProbeResult(clusterId: next[0].clusterId, bitrate: 1_900_000), estimate: 1_900_000, at: 400 * Self.ms)
        #expect(drain(&controller, estimate: 1_900_000, at: 400 * Self.ms).isEmpty)
    }

    /// A short cluster on an open path may come back well under its target; a result a
    /// quarter above the estimate it was sent from still shows room, and the search goes on.
    @Test func aResultWellAboveTheEstimateContinuesTheSearchBelowItsTarget() {
        var controller = ProbeController()
        _ = drain(&controller, estimate: 400_000, at: 0)
        let periodic = drain(&controller, estimate: 400_000, at: 3 * Self.second)
        #expect(periodic.map(\.bitrate) == [800_000])
        // 64% of the target, 1.3 times the estimate.
        controller.probeResult(ProbeResult(clusterId: periodic[0].clusterId, bitrate: 520_000), estimate: 520_000, at: 3 * Self.second + 60 * Self.ms)
        let next = drain(&controller, estimate: 520_000, at: 3 * Self.second + 60 * Self.ms)
        #expect(next.map(\.bitrate) == [1_040_000])
        // 55% of the target and 1.1 times the estimate: the path is found.
        controller.probeResult(ProbeResult(clusterId: next[0].clusterId, bitrate: 572_000), estimate: 572_000, at: 3 * Self.second + 120 * Self.ms)
        #expect(drain(&controller, estimate: 572_000, at: 3 * Self.second + 120 * Self.ms).isEmpty)
    }

    @Test func probesPeriodicallyWhenTheEstimateIsStuck() {
        var controller = ProbeController()
        _ = drain(&controller, estimate: 1_000_000, at: 0)
        #expect(drain(&controller, estimate: 1_000_000, at: 2 * Self.second).isEmpty)
        let timeout = controller.nextTimeout!
        #expect(timeout == 3 * Self.second)
        // Not while the queue is changing; looked at again shortly.
        #expect(drain(&controller, estimate: 1_000_000, at: timeout, delayState: .overusing).isEmpty)
        #expect(controller.nextTimeout == timeout + 100 * Self.ms)
        #expect(drain(&controller, estimate: 1_000_000, at: timeout + 100 * Self.ms).map(\.bitrate) == [2_000_000])
    }

    @Test func aRisingEstimateNeedsNoPeriodicProbe() {
        var controller = ProbeController()
        _ = drain(&controller, estimate: 1_000_000, at: 0)
        var estimate = 1_000_000
        for step in 1...40 {
            estimate = estimate * 105 / 100
            #expect(drain(&controller, estimate: estimate, at: UInt64(step) * 250 * Self.ms).isEmpty)
        }
    }

    @Test func probesBackAfterALargeDrop() {
        var controller = ProbeController()
        _ = drain(&controller, estimate: 2_000_000, at: 0)
        #expect(drain(&controller, estimate: 2_000_000, at: 2_000 * Self.ms).isEmpty)
        #expect(drain(&controller, estimate: 1_000_000, at: 2_100 * Self.ms).isEmpty)
        let requests = drain(&controller, estimate: 1_000_000, at: 3_100 * Self.ms)
        #expect(requests.map(\.bitrate) == [1_700_000])  // 85% of the rate before the drop
    }

    @Test func neverAboveTheMaximum() {
        var configuration = ProbeController.Configuration()
        configuration.maximumBitrate = 1_000_000
        var controller = ProbeController(configuration: configuration)
        #expect(drain(&controller, estimate: 300_000, at: 0).map(\.bitrate) == [900_000, 1_000_000])
        // At the maximum there is nothing to probe for.
        #expect(drain(&controller, estimate: 1_000_000, at: 10 * Self.second).isEmpty)
    }

    @Test func requestPacketCountAndSpacing() {
        let request = ProbeRequest(clusterId: 1, bitrate: 4_000_000)
        #expect(request.packetCount(packetSize: 1_200) == 7)  // 7500 bytes in 15 ms
        #expect(ProbeRequest(clusterId: 1, bitrate: 500_000).packetCount(packetSize: 1_200) == 5)
        #expect(request.packetInterval(packetSize: 1_200) == 2_400_000)
    }

    @Test func aSenderThatWantsMoreThanTheEstimateProbesTowardItAtMostOnceASecond() {
        var controller = ProbeController()
        _ = drain(&controller, estimate: 300_000, at: 0)
        // The start-up search ended without a result (timed out).
        controller.update(estimate: 400_000, at: 2 * Self.second)
        controller.desire(5_000_000, estimate: 400_000, at: 2 * Self.second)
        let first = drain(&controller, estimate: 400_000, at: 2 * Self.second)
        #expect(first.map(\.bitrate) == [800_000], "twice the estimate, below what is wanted")
        #expect(first.map(\.duration) == [100 * Self.ms], "long enough to empty a shaper's bucket")
        controller.probeResult(ProbeResult(clusterId: first[0].clusterId, bitrate: 780_000), estimate: 780_000, at: 2 * Self.second + 100 * Self.ms)
        #expect(drain(&controller, estimate: 780_000, at: 2 * Self.second + 100 * Self.ms).map { [$0.bitrate, Int($0.duration / Self.ms)] }
                == [[1_560_000, 100]], "the search goes on as any does, with clusters as long")
        controller.probeResult(ProbeResult(clusterId: 99, bitrate: 0), estimate: 780_000, at: 4 * Self.second)
        controller.update(estimate: 1_500_000, at: 4 * Self.second)
        // Wanting about what the estimate allows asks for nothing.
        controller.desire(1_600_000, estimate: 1_500_000, at: 4 * Self.second)
        #expect(drain(&controller, estimate: 1_500_000, at: 4 * Self.second).isEmpty)
        controller.desire(2_000_000, estimate: 1_500_000, at: 4 * Self.second)
        #expect(drain(&controller, estimate: 1_500_000, at: 4 * Self.second).map(\.bitrate) == [2_000_000])
        controller.desire(2_000_000, estimate: 1_500_000, at: 4 * Self.second + 500 * Self.ms)
        #expect(drain(&controller, estimate: 1_500_000, at: 4 * Self.second + 500 * Self.ms).isEmpty)
    }

    @Test func desireProbesThePathDidNotKeepUpWithComeLessOften() {
        var configuration = ProbeController.Configuration()
        configuration.periodicInterval = 1_000 * Self.second
        var controller = ProbeController(configuration: configuration)
        _ = drain(&controller, estimate: 300_000, at: 0)
        controller.update(estimate: 300_000, at: 2 * Self.second)
        // Probes sent (ms) and whether the path keeps up with each: a 400 kbit/s path for the
        // first five, which come back at 380 of their 600 kbit/s, then an open one.
        var sent: [UInt64] = []
        var now = 2 * Self.second
        while now < 40 * Self.second {
            controller.desire(3_000_000, estimate: 300_000, at: now)
            for request in drain(&controller, estimate: 300_000, at: now) where request.duration == 100 * Self.ms {
                sent.append(now / Self.ms)
                let bitrate = sent.count <= 5 ? 380_000 : request.bitrate
                controller.probeResult(ProbeResult(clusterId: request.clusterId, bitrate: bitrate), estimate: 300_000, at: now)
                // The search a kept-up probe goes on with ends without a result.
                _ = drain(&controller, estimate: 300_000, at: now)
            }
            now += 100 * Self.ms
        }
        let gaps = zip(sent.dropFirst(), sent).map { $0 - $1 }
        // 1 s after the first, then 2, 4, 8 and 8 s (the longest wait); after the sixth kept
        // up, the wait is back to a second (after the search's own 1 s timeout).
        #expect(gaps.prefix(6) == [2_000, 4_000, 8_000, 8_000, 8_000, 1_200], "\(sent)")
    }
}
