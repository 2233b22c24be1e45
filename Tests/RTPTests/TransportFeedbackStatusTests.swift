import Testing
@testable import RTP

@Suite struct TransportFeedbackStatusTests {
    @Test func receivedPicksTheSmallFormWhenItFits() {
        #expect(TransportFeedbackStatus.received(delta: 0) == .receivedSmallDelta(0))
        #expect(TransportFeedbackStatus.received(delta: 255) == .receivedSmallDelta(255))
        #expect(TransportFeedbackStatus.received(delta: 256) == .receivedLargeDelta(256))
        #expect(TransportFeedbackStatus.received(delta: -1) == .receivedLargeDelta(-1))
    }

    @Test func deltasAndSymbols() {
        #expect(TransportFeedbackStatus.notReceived.delta == nil)
        #expect(TransportFeedbackStatus.receivedSmallDelta(9).delta == 9)
        #expect(TransportFeedbackStatus.receivedLargeDelta(-300).delta == -300)
        #expect(TransportFeedbackStatus.notReceived.symbol == .notReceived)
        #expect(TransportFeedbackStatus.receivedSmallDelta(9).symbol == .receivedSmallDelta)
        #expect(TransportFeedbackStatus.receivedLargeDelta(9).symbol == .receivedLargeDelta)
        #expect(TransportFeedbackStatus.receivedLargeDelta(9).deltaSize == 2)
    }
}
