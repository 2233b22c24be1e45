import Testing
@testable import Web

/// The rates a node reports at each heartbeat, from running totals.
@Suite struct LoadSamplerTests {
    @Test func ratesAreOverTheTimeSinceThePreviousSample() {
        var sampler = LoadSampler(cores: 2)
        let first = sampler.rates(at: .init(nanoseconds: 1_000_000_000, forwardedPackets: 500, cpuSeconds: 10))
        #expect(first.packetsPerSecond == 0 && first.cpu == 0, "nothing to compare the first sample to")
        // 2 s later: 8,000 packets and 1 s of CPU on a machine of two cores, a quarter of it.
        let second = sampler.rates(at: .init(nanoseconds: 3_000_000_000, forwardedPackets: 8_500, cpuSeconds: 11))
        #expect(second.packetsPerSecond == 4_000)
        #expect(second.cpu == 0.25)
    }

    @Test func aCounterThatWentBackCountsAsNothingAndCPUStaysWithinTheMachine() {
        var sampler = LoadSampler(cores: 1)
        _ = sampler.rates(at: .init(nanoseconds: 0, forwardedPackets: 9_000, cpuSeconds: 0))
        let rates = sampler.rates(at: .init(nanoseconds: 500_000_000, forwardedPackets: 10, cpuSeconds: 0.9))
        #expect(rates.packetsPerSecond == 0)
        #expect(rates.cpu == 1)
        let same = sampler.rates(at: .init(nanoseconds: 500_000_000, forwardedPackets: 20, cpuSeconds: 1))
        #expect(same.packetsPerSecond == 0 && same.cpu == 0, "no time passed")
    }

    @Test func theProcessHasUsedSomeCPU() {
        #expect(ProcessCPU.seconds() > 0)
    }
}
