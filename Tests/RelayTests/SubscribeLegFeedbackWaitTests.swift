import Testing
@testable import Relay

/// The first packet sent after a subscriber's feedback starts its estimator's wait for the next
/// (a second without feedback cuts the estimate), and `SubscribeLeg.packetSent` returns that
/// deadline so the router can tell the socket loop; the packets after it change nothing.
@Suite struct SubscribeLegFeedbackWaitTests {
    @Test func theFirstPacketAfterFeedbackReturnsTheWaitItStarts() throws {
        let leg = SubscribeLeg()
        var now: UInt64 = 1_000_000_000
        #expect(leg.packetSent(size: 1_000, now: now) == nil, "nothing is estimated before the first feedback")
        SubscribeLegProbeTests.exchange(on: leg, count: 8, size: 1_000, feedbackCount: 0, now: &now)
        SubscribeLegProbeTests.exchange(on: leg, count: 8, size: 1_000, feedbackCount: 1, now: &now)
        let waitBefore = leg.estimator.nextTimeout

        let deadline = try #require(leg.packetSent(size: 1_000, now: now))
        #expect(deadline == leg.estimator.nextTimeout)
        #expect(deadline <= now + leg.estimator.configuration.feedbackTimeout)
        #expect(deadline < waitBefore ?? .max, "the wait is a deadline the estimator did not have")
        #expect(leg.packetSent(size: 1_000, now: now + 8_000_000) == nil, "the wait has begun")
    }
}
