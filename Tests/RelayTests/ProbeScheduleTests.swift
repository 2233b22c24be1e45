import Congestion
import Testing

@testable import Relay

@Suite struct ProbeScheduleTests {
    static let ms: UInt64 = 1_000_000

    /// Sends a cluster's probes as they come due (copies of 1,000 bytes or padding packets):
    /// how many, and the rate they made up to when the next would have been due.
    static func run(_ request: ProbeRequest, mediaBitrate: Int) -> (packets: Int, bitrate: Int, copies: Bool) {
        var schedule = ProbeSchedule(request: request, mediaBitrate: mediaBitrate, start: 0)
        let size = schedule.sendsCopies ? ProbeSchedule.copySize : ProbeSchedule.paddingPacketSize
        var packets = 0
        var now: UInt64 = 0
        while !schedule.isFinished, packets < 10_000 {
            if schedule.isDue(now: now) {
                schedule.sent(size: size)
                packets += 1
            } else {
                #expect(schedule.nextSend > now)
                now = schedule.nextSend
            }
        }
        return (packets, Int(UInt64(packets * size * 8) * 1_000_000_000 / schedule.nextSend), schedule.sendsCopies)
    }

    @Test func probesMakeUpWhatTheMediaLeavesOfTheClustersRate() {
        let request = ProbeRequest(clusterId: 1, bitrate: 600_000, minimumPackets: 5, duration: 100 * Self.ms)
        // Alone, the probes carry the whole 600 kbit/s.
        #expect((550_000...650_000).contains(Self.run(request, mediaBitrate: 0).bitrate))
        // With 300 kbit/s of media, half of it.
        #expect((250_000...350_000).contains(Self.run(request, mediaBitrate: 300_000).bitrate))
        // Media above the rate leaves a quarter to the probes, so the cluster has packets.
        #expect((120_000...180_000).contains(Self.run(request, mediaBitrate: 900_000).bitrate))
    }

    @Test func aLargeFastClusterGoesAsCopies() {
        // 8 Mbit/s for 15 ms is 15,000 bytes: fifteen copies rather than 51 padding packets.
        let large = Self.run(ProbeRequest(clusterId: 1, bitrate: 8_000_000, minimumPackets: 5, duration: 15 * Self.ms), mediaBitrate: 0)
        #expect(large.copies)
        #expect(large.packets == 15)
        #expect((7_500_000...8_500_000).contains(large.bitrate))
        // 600 kbit/s for 100 ms, as a thin path is probed, is 7,500 bytes: padding, 26 packets
        // for the rate to be read from.
        let thin = Self.run(ProbeRequest(clusterId: 3, bitrate: 600_000, minimumPackets: 5, duration: 100 * Self.ms), mediaBitrate: 0)
        #expect(!thin.copies)
        #expect(thin.packets == 26)
        // The start-up probe, 900 kbit/s for 15 ms, is 1,687 bytes: padding, and still the five
        // packets a result needs.
        let small = Self.run(ProbeRequest(clusterId: 2, bitrate: 900_000, minimumPackets: 5, duration: 15 * Self.ms), mediaBitrate: 0)
        #expect(!small.copies)
        #expect(small.packets == 6)
        #expect((800_000...1_000_000).contains(small.bitrate))
    }
}
