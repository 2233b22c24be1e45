import Testing

@testable import Congestion

@Suite struct TrendlineEstimatorTests {
    static let ms: UInt64 = 1_000_000

    /// Feeds one packet every 10 ms for `count` packets, with one-way delay `delay(index)` in ms.
    func run(_ estimator: inout TrendlineEstimator, from start: Int = 0, count: Int, delay: (Int) -> Double) -> [DelayState] {
        var states: [DelayState] = []
        for index in start..<(start + count) {
            let send = UInt64(index) * 10 * Self.ms
            let arrival = Int64(send) + Int64(delay(index) * 1e6)
            estimator.add(sendTime: send, arrivalTime: arrival)
            states.append(estimator.state)
        }
        return states
    }

    @Test func flatDelayIsNormal() {
        var estimator = TrendlineEstimator()
        let states = run(&estimator, count: 200) { _ in 50 }
        #expect(states.allSatisfy { $0 == .normal })
    }

    @Test func jitterWithoutTrendIsNormal() {
        var estimator = TrendlineEstimator()
        var random = SeededGenerator(seed: 7)
        let states = run(&estimator, count: 300) { _ in 50 + Double.random(in: 0..<4, using: &random) }
        #expect(states.dropFirst(30).allSatisfy { $0 == .normal })
    }

    @Test func risingDelayIsOverusing() {
        var estimator = TrendlineEstimator()
        _ = run(&estimator, count: 50) { _ in 50 }
        // The queue grows 1 ms for every 10 ms: the path carries 10% less than is sent.
        let states = run(&estimator, from: 50, count: 30) { 50 + Double($0 - 50) }
        #expect(states.contains(.overusing))
        // Found within a quarter second of the queue starting to grow.
        #expect(states.prefix(25).contains(.overusing))
        #expect(estimator.modifiedTrend > estimator.threshold)
    }

    @Test func fallingDelayIsUnderusing() {
        var estimator = TrendlineEstimator()
        _ = run(&estimator, count: 50) { _ in 150 }
        let states = run(&estimator, from: 50, count: 60) { 150 - Double($0 - 50) * 2 }
        #expect(states.contains(.underusing))
        #expect(!states.contains(.overusing))
    }

    @Test func aBurstIsOneGroup() {
        // Ten packets sent within 5 ms arriving 1 ms apart (serialised by the bottleneck) are one
        // group, not a rising delay.
        var estimator = TrendlineEstimator()
        for burst in 0..<60 {
            let start = UInt64(burst) * 33 * Self.ms
            for packet in 0..<10 {
                let send = start + UInt64(packet) * 400_000
                let arrival = Int64(start) + 40_000_000 + Int64(packet) * 1_000_000
                estimator.add(sendTime: send, arrivalTime: arrival)
                #expect(estimator.state == .normal)
            }
        }
    }

    @Test func thresholdAdaptsWithinItsBounds() {
        var estimator = TrendlineEstimator()
        _ = run(&estimator, count: 500) { _ in 50 }
        // With no trend the threshold decays toward its floor.
        #expect(estimator.threshold < 12.5)
        #expect(estimator.threshold >= 6)
    }
}
