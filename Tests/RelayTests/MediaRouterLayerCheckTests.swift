import RTP
import Testing
@testable import Relay

/// When a subscriber's layers are chosen again: on its transport-wide feedback while that
/// flows, on a timer of its own otherwise.
@Suite struct MediaRouterLayerCheckTests {
    /// Sends the subscriber's transport-wide feedback at `time`, each packet it got so far
    /// reported as received.
    static func sendFeedback(
        from subscriber: SimulatedBrowser, count: inout UInt8, to call: MediaRouterTests.Call, at time: UInt64
    ) throws {
        subscriber.collect(from: call.sink)
        let numbers = MediaRouterEstimationTests.transportNumbers(try MediaRouterEstimationTests.received(subscriber))
        subscriber.received.removeAll()
        let first = try #require(numbers.first)
        let report = try RtcpTransportFeedback(
            senderSsrc: 0x5555, mediaSsrc: 0, baseSequenceNumber: first, referenceTime: Int32(count),
            feedbackPacketCount: count, statuses: [TransportFeedbackStatus](repeating: .receivedSmallDelta(4), count: numbers.count)
        ).bytes()
        count &+= 1
        try subscriber.sendRtcp(report, to: call.router, sink: call.sink, at: time)
    }

    @Test func withFeedbackTheCheckComesWithTheFeedbackAndTheTimerOnlyIfItStops() throws {
        let (call, publisher, subscriber) = try MediaRouterVideoPauseTests.setUp()
        let leg = try #require(call.router.transports[TransportID(2)]?.subscribing)
        let check = try #require(leg.nextLayerCheck)
        #expect(leg.layerCheckDeadline == check, "before any feedback, the timer is the check's")
        let start = check - SubscribeLeg.layerCheckInterval
        var count: UInt8 = 0
        try publisher.sendRtp(MediaRouterVideoPauseTests.vp8Packet(1, keyframe: true), to: call.router, sink: call.sink, at: start)
        try Self.sendFeedback(from: subscriber, count: &count, to: call, at: start + 50_000_000)
        #expect(leg.layerCheckDeadline == check + SubscribeLeg.layerCheckInterval,
                "with feedback, the worker wakes for the check only an interval after it is due")

        // Feedback before the check is due leaves it as it was; the first after runs it.
        try publisher.sendRtp(MediaRouterVideoPauseTests.vp8Packet(2, keyframe: false), to: call.router, sink: call.sink, at: check - 1_000_000)
        try Self.sendFeedback(from: subscriber, count: &count, to: call, at: check - 1_000_000)
        #expect(leg.nextLayerCheck == check)
        let late = check + 30_000_000
        try publisher.sendRtp(MediaRouterVideoPauseTests.vp8Packet(3, keyframe: false), to: call.router, sink: call.sink, at: late)
        try Self.sendFeedback(from: subscriber, count: &count, to: call, at: late)
        #expect(leg.nextLayerCheck == late + SubscribeLeg.layerCheckInterval)

        // The feedback stops: the timer runs the check an interval after it was due.
        let next = late + SubscribeLeg.layerCheckInterval
        call.router.handleTimeout(now: next + SubscribeLeg.layerCheckInterval, sink: call.sink)
        #expect(leg.nextLayerCheck == next + 2 * SubscribeLeg.layerCheckInterval)
    }

    @Test func withoutFeedbackTheTimerRunsTheCheck() throws {
        let (call, publisher, _) = try MediaRouterVideoPauseTests.setUp()
        let leg = try #require(call.router.transports[TransportID(2)]?.subscribing)
        let check = try #require(leg.nextLayerCheck)
        try publisher.sendRtp(MediaRouterVideoPauseTests.vp8Packet(1, keyframe: true), to: call.router, sink: call.sink, at: check - 100_000_000)
        #expect(leg.nextTimeout == check)
        call.router.handleTimeout(now: check, sink: call.sink)
        #expect(leg.nextLayerCheck == check + SubscribeLeg.layerCheckInterval)
    }
}
