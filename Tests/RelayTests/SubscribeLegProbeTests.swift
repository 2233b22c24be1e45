import RTP
import Testing
@testable import Relay

/// How far the relay probes a subscriber's path: no further than what the subscriber could use.
@Suite struct SubscribeLegProbeTests {
    /// Sends `count` packets (a multiple of 8) of `size` bytes 8 ms apart and acknowledges them
    /// in one transport-wide feedback, as arriving 8 ms apart too (the reference time counts
    /// 64 ms), the indices in `lost` reported missing.
    static func exchange(
        on leg: SubscribeLeg, count: Int, size: Int, lost: Set<Int> = [], feedbackCount: UInt8, now: inout UInt64
    ) {
        let first = leg.nextTransportSequenceNumber
        for _ in 0..<count {
            leg.packetSent(size: size, now: now)
            now += 8_000_000
        }
        // 250 µs units.
        let statuses = (0..<count).map { lost.contains($0) ? TransportFeedbackStatus.notReceived : .receivedSmallDelta(32) }
        let feedback = RtcpTransportFeedback(
            senderSsrc: 1, mediaSsrc: 0, baseSequenceNumber: first, referenceTime: Int32(feedbackCount) * Int32(count / 8),
            feedbackPacketCount: feedbackCount, statuses: statuses)
        leg.handle(feedback, now: now)
    }

    /// A leg that has sent 100 kbit/s and heard feedback twice: the second feedback starts the
    /// estimator's start-up probes (three times its 300 kbit/s starting estimate first).
    static func legProbing(wanting demand: Int) -> SubscribeLeg {
        let leg = SubscribeLeg()
        var now: UInt64 = 1_000_000_000
        leg.want(demand, now: now)
        exchange(on: leg, count: 8, size: 100, feedbackCount: 0, now: &now)
        exchange(on: leg, count: 8, size: 100, feedbackCount: 1, now: &now)
        return leg
    }

    @Test func aProbeLooksNoFurtherThanTheSubscriberCouldUse() throws {
        // Tiles that want 10 Mbit/s: the start-up probe goes at three times the estimate.
        let wanting = try #require(Self.legProbing(wanting: 10_000_000).probe)
        #expect(wanting.request.bitrate == 900_000)
        // Nothing wanted beyond the 100 kbit/s sent: the probe stops at 1.25 × 100 kbit/s +
        // 500 kbit/s.
        let leg = Self.legProbing(wanting: 0)
        let capped = try #require(leg.probe)
        #expect(capped.request.bitrate == leg.probeCeiling(sending: 100_000))
        #expect(capped.request.bitrate == 625_000)
    }

    @Test func theMarginDoublesWhileFeedbackShowsRandomLoss() {
        var now: UInt64 = 1_000_000_000
        let clean = SubscribeLeg()
        let lossy = SubscribeLeg()
        for round in 0..<4 {
            Self.exchange(on: clean, count: 96, size: 1000, feedbackCount: UInt8(round), now: &now)
            // 5 of every 96 lost: the loss a browser shrugs off, and where repairs go twice.
            Self.exchange(on: lossy, count: 96, size: 1000, lost: [7, 23, 41, 66, 90], feedbackCount: UInt8(round), now: &now)
        }
        #expect(clean.probeCeiling(sending: 1_000_000) == 1_750_000)
        #expect(lossy.probeCeiling(sending: 1_000_000) == 3_000_000)
        #expect(lossy.probeCeiling(sending: 0) == 500_000)
    }
}
