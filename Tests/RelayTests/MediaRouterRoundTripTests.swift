import Foundation
import RTP
import Testing
@testable import Relay

/// The round trip to a subscriber, from its receiver reports on the relay's sender reports
/// (RFC 3550 §6.4.1): what the estimator's rate increases scale with, and what the metrics show.
@Suite struct MediaRouterRoundTripTests {
    @Test func aReceiverReportEchoingASenderReportGivesTheRoundTrip() throws {
        let (call, publisher, subscriber) = try MediaRouterTests.videoCall()
        try publisher.sendRtp(MediaRouterTests.videoPacket(1), to: call.router, sink: call.sink)
        let sent = Monotonic.now()
        call.router.sendReports(now: sent, sink: call.sink)
        subscriber.collect(from: call.sink)
        let report = try #require(MediaRouterTests.reports(subscriber.receivedRtcp).compactMap {
            if case .senderReport(let report) = $0, report.ssrc == 0xABCD { report } else { nil }
        }.last)
        let leg = try #require(call.router.transports[TransportID(2)]).subscribing
        #expect(leg.roundTripTime == nil)

        // Held 30 ms at the subscriber, back at the relay 110 ms after it left: 80 ms of path.
        let held: UInt32 = 30 * 65_536 / 1_000
        func receiverReport(ssrc: UInt32, lsr: UInt32) throws -> [UInt8] {
            try RtcpCompound(packets: [.receiverReport(RtcpReceiverReport(ssrc: 0x5555, reportBlocks: [
                RtcpReportBlock(ssrc: ssrc, lastSenderReport: lsr, delaySinceLastSenderReport: held),
            ]))]).bytes()
        }
        let outbound = try #require(subscriber.outbound)
        let echo = NtpTime.middle32(report.ntpTimestamp)
        subscriber.deliver(try outbound.protectRtcp(try receiverReport(ssrc: 0xABCD, lsr: echo)), to: call.router, sink: call.sink,
                           at: sent + 110_000_000)
        let measured = try #require(leg.roundTripTime)
        #expect((79_000_000...81_000_000).contains(measured), "\(measured) ns")

        // A block on a stream the relay does not send this subscriber, or one whose times add up
        // to a negative round trip, changes nothing.
        subscriber.deliver(try outbound.protectRtcp(try receiverReport(ssrc: 0x1234, lsr: echo)), to: call.router, sink: call.sink,
                           at: sent + 500_000_000)
        subscriber.deliver(try outbound.protectRtcp(try receiverReport(ssrc: 0xABCD, lsr: echo &+ 65_536)), to: call.router,
                           sink: call.sink, at: sent + 500_000_000)
        #expect(leg.roundTripTime == measured)
    }
}
