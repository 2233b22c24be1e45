import Testing

@testable import Congestion

@Suite struct AimdRateControlTests {
    static let ms: UInt64 = 1_000_000

    func control(initial: Int) -> AimdRateControl {
        var configuration = AimdRateControl.Configuration()
        configuration.initialBitrate = initial
        return AimdRateControl(configuration: configuration)
    }

    @Test func increasesAboutEightPercentASecondFarFromCongestion() {
        var aimd = control(initial: 1_000_000)
        for step in 0...10 { aimd.update(.normal, acknowledgedBitrate: nil, at: UInt64(step) * 100 * Self.ms) }
        #expect((1_070_000...1_090_000).contains(aimd.bitrate))
        #expect(aimd.mode == .increase)
    }

    @Test func decreasesToEightyFivePercentOfTheThroughput() {
        var aimd = control(initial: 1_000_000)
        aimd.update(.overusing, acknowledgedBitrate: 800_000, at: 0)
        #expect(aimd.bitrate == 680_000)
        #expect(aimd.mode == .hold)
        // Within the reduction interval, and already below the throughput: no second cut.
        aimd.update(.overusing, acknowledgedBitrate: 800_000, at: 50 * Self.ms)
        #expect(aimd.bitrate == 680_000)
        aimd.update(.overusing, acknowledgedBitrate: 800_000, at: 500 * Self.ms)
        #expect(aimd.bitrate == 680_000)
        // The throughput fell further: cut again.
        aimd.update(.overusing, acknowledgedBitrate: 600_000, at: 700 * Self.ms)
        #expect(aimd.bitrate == 510_000)
    }

    @Test func decreasesWithoutThroughputFromTheRate() {
        var aimd = control(initial: 1_000_000)
        aimd.update(.overusing, acknowledgedBitrate: nil, at: 0)
        #expect(aimd.bitrate == 850_000)
    }

    @Test func holdsOnUnderuseAndAfterADecrease() {
        var aimd = control(initial: 1_000_000)
        aimd.update(.underusing, acknowledgedBitrate: 900_000, at: 0)
        aimd.update(.underusing, acknowledgedBitrate: 900_000, at: 500 * Self.ms)
        #expect(aimd.bitrate == 1_000_000 && aimd.mode == .hold)
        aimd.update(.overusing, acknowledgedBitrate: 1_000_000, at: 600 * Self.ms)
        #expect(aimd.bitrate == 850_000)
        // Normal after a decrease: through hold to increase (§5.5's state table).
        aimd.update(.normal, acknowledgedBitrate: 1_000_000, at: 700 * Self.ms)
        #expect(aimd.mode == .increase)
    }

    @Test func increasesAdditivelyNearTheLastCongestionPoint() {
        var aimd = control(initial: 1_000_000)
        aimd.update(.overusing, acknowledgedBitrate: 1_000_000, at: 0)
        #expect(aimd.isNearCapacity)
        let start = aimd.bitrate
        for step in 1...10 { aimd.update(.normal, acknowledgedBitrate: 900_000, at: UInt64(step) * 100 * Self.ms) }
        let growth = aimd.bitrate - start
        // About one packet per response time (200 ms): tens of kbit/s, far below 8%.
        #expect(growth > 10_000 && growth < 80_000, "grew \(growth)")
    }

    @Test func leavesTheCongestionPointWhenThroughputExceedsIt() {
        var aimd = control(initial: 1_000_000)
        aimd.update(.overusing, acknowledgedBitrate: 1_000_000, at: 0)
        aimd.update(.normal, acknowledgedBitrate: 1_500_000, at: 100 * Self.ms)
        #expect(!aimd.isNearCapacity)
    }

    @Test func staysWithinOneAndAHalfTimesTheThroughput() {
        var aimd = control(initial: 600_000)
        for step in 0...50 { aimd.update(.normal, acknowledgedBitrate: 400_000, at: UInt64(step) * 100 * Self.ms) }
        #expect(aimd.bitrate == 610_000)
        // Already above the ceiling: held, not lowered.
        var above = control(initial: 1_000_000)
        for step in 0...10 { above.update(.normal, acknowledgedBitrate: 400_000, at: UInt64(step) * 100 * Self.ms) }
        #expect(above.bitrate == 1_000_000)
    }

    @Test func staysWithinTheConfiguredRange() {
        var configuration = AimdRateControl.Configuration()
        configuration.initialBitrate = 100_000
        configuration.minimumBitrate = 90_000
        configuration.maximumBitrate = 105_000
        var aimd = AimdRateControl(configuration: configuration)
        for step in 0...30 { aimd.update(.normal, acknowledgedBitrate: nil, at: UInt64(step) * 100 * Self.ms) }
        #expect(aimd.bitrate == 105_000)
        aimd.update(.overusing, acknowledgedBitrate: 10_000, at: 4_000 * Self.ms)
        #expect(aimd.bitrate == 90_000)
    }
}
