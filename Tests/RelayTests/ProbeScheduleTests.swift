import Congestion
import Testing

@testable import Relay

@Suite struct ProbeScheduleTests {
    static let ms: UInt64 = 1_000_000
    let request = ProbeRequest(clusterId: 1, bitrate: 600_000, minimumPackets: 5, duration: 100 * Self.ms)

    /// Packets due over the cluster's whole duration, and the padding rate they make.
    func padding(mediaBitrate: Int) -> (packets: Int, bitrate: Int) {
        var schedule = ProbeSchedule(request: request, mediaBitrate: mediaBitrate, start: 0)
        let packets = schedule.takeDue(now: 100 * Self.ms - 1)
        #expect(schedule.isFinished, "the whole cluster is due within its duration")
        return (packets, packets * (ProbeSchedule.paddingLength + 40) * 8 * 10)
    }

    @Test func paddingMakesUpWhatTheMediaLeavesOfTheClustersRate() {
        // Alone, the padding carries the whole 600 kbit/s.
        #expect((550_000...650_000).contains(padding(mediaBitrate: 0).bitrate))
        // With 300 kbit/s of media, half of it.
        #expect((250_000...350_000).contains(padding(mediaBitrate: 300_000).bitrate))
        // Media above the rate leaves a quarter to the padding, so the cluster has packets.
        #expect((120_000...180_000).contains(padding(mediaBitrate: 900_000).bitrate))
    }
}
