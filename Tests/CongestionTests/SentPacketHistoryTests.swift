import RTP
import Testing

@testable import Congestion

@Suite struct SentPacketHistoryTests {
    static let ms: UInt64 = 1_000_000

    func feedback(base: UInt16, reference: Int32, _ statuses: [TransportFeedbackStatus]) -> RtcpTransportFeedback {
        RtcpTransportFeedback(
            senderSsrc: 1, mediaSsrc: 2, baseSequenceNumber: base, referenceTime: reference,
            feedbackPacketCount: 0, statuses: statuses)
    }

    @Test func matchesFeedbackAcrossTheSequenceNumberWrap() {
        var history = SentPacketHistory()
        for (index, sequenceNumber) in [65_534, 65_535, 0, 1].enumerated() {
            history.packetSent(
                sequenceNumber: UInt16(sequenceNumber), size: 1_000 + index, probeCluster: index == 3 ? 7 : nil,
                at: UInt64(index) * 5 * Self.ms)
        }
        let results = history.process(
            feedback(base: 65_534, reference: 100, [.received(delta: 4), .notReceived, .received(delta: 8), .received(delta: 4)]))
        #expect(results.map(\.sequenceNumber) == [65_534, 65_535, 65_536, 65_537])
        #expect(results.map(\.size) == [1_000, 1_001, 1_002, 1_003])
        #expect(results.map(\.sendTime) == [0, 5 * Self.ms, 10 * Self.ms, 15 * Self.ms])
        let base: Int64 = 100 * 64_000_000
        #expect(results.map(\.arrivalTime) == [base + 1_000_000, nil, base + 3_000_000, base + 4_000_000])
        #expect(results.map(\.probeCluster) == [nil, nil, nil, 7])
    }

    @Test func aPacketIsReportedOnceWhenFeedbackOverlaps() {
        var history = SentPacketHistory()
        for sequenceNumber in 0..<5 { history.packetSent(sequenceNumber: UInt16(sequenceNumber), size: 100, at: 0) }
        let first = feedback(base: 0, reference: 1, [.received(delta: 1), .notReceived, .received(delta: 1)])
        #expect(history.process(first).count == 3)
        #expect(history.process(first).isEmpty)  // the same feedback again
        // Overlapping: 0 again (ignored), 1 now received (reported again, received), 2 again
        // (ignored), 3 and 4 new.
        let second = feedback(
            base: 0, reference: 1,
            [.received(delta: 1), .received(delta: 1), .received(delta: 1), .notReceived, .received(delta: 1)])
        let results = history.process(second)
        #expect(results.map(\.sequenceNumber) == [1, 3, 4])
        #expect(results.map(\.isReceived) == [true, false, true])
        // 3 reported lost again: still not repeated.
        #expect(history.process(feedback(base: 3, reference: 1, [.notReceived])).isEmpty)
    }

    @Test func ignoresUnknownAndForgottenSequenceNumbers() {
        var history = SentPacketHistory(capacity: 16)
        #expect(history.process(feedback(base: 0, reference: 0, [.received(delta: 1)])).isEmpty)  // nothing sent
        for sequenceNumber in 0..<40 { history.packetSent(sequenceNumber: UInt16(sequenceNumber), size: 100, at: 0) }
        // 0...23 were overwritten by later packets in the 16-slot ring; 40...49 were never sent.
        let results = history.process(feedback(base: 20, reference: 0, Array(repeating: .received(delta: 1), count: 30)))
        #expect(results.map(\.sequenceNumber) == Array(24...39))
        // Far from anything sent (the other half of the sequence space).
        #expect(history.process(feedback(base: 32_000, reference: 0, [.received(delta: 1)])).isEmpty)
    }

    @Test func forgetsPacketsOlderThanTheMaximumAge() {
        var history = SentPacketHistory(maximumAge: 2_000 * Self.ms)
        history.packetSent(sequenceNumber: 10, size: 100, at: 0)
        history.packetSent(sequenceNumber: 11, size: 100, at: 1_000 * Self.ms)
        history.packetSent(sequenceNumber: 12, size: 100, at: 2_500 * Self.ms)
        let results = history.process(feedback(base: 10, reference: 0, [.received(delta: 1), .received(delta: 1), .received(delta: 1)]))
        #expect(results.map(\.sequenceNumber) == [11, 12])
    }

    @Test(arguments: [(Int32(0x7F_FFFF), Int32(-0x80_0000)), (Int32(-1), Int32(0)), (Int32(5), Int32(6))])
    func referenceTimeStepsOverTheWrap(first: Int32, second: Int32) {
        var history = SentPacketHistory()
        history.packetSent(sequenceNumber: 0, size: 100, at: 0)
        history.packetSent(sequenceNumber: 1, size: 100, at: 64 * Self.ms)
        let a = history.process(feedback(base: 0, reference: first, [.received(delta: 0)]))
        let b = history.process(feedback(base: 1, reference: second, [.received(delta: 0)]))
        #expect(b[0].arrivalTime! - a[0].arrivalTime! == 64_000_000)
    }

    @Test func referenceTimeMayStepBack() {
        // Feedback reordered on the way: the older one's reference time is one unit earlier.
        var history = SentPacketHistory()
        history.packetSent(sequenceNumber: 0, size: 100, at: 0)
        history.packetSent(sequenceNumber: 1, size: 100, at: 64 * Self.ms)
        let later = history.process(feedback(base: 1, reference: 0, [.received(delta: 0)]))
        let earlier = history.process(feedback(base: 0, reference: -1 & 0xFF_FFFF, [.received(delta: 0)]))
        #expect(later[0].arrivalTime! - earlier[0].arrivalTime! == 64_000_000)
    }

    @Test func negativeDeltasGoBackInTime() {
        var history = SentPacketHistory()
        history.packetSent(sequenceNumber: 0, size: 100, at: 0)
        history.packetSent(sequenceNumber: 1, size: 100, at: 1)
        let results = history.process(feedback(base: 0, reference: 1, [.received(delta: 8), .received(delta: -4)]))
        #expect(results.map(\.arrivalTime) == [64_000_000 + 2_000_000, 64_000_000 + 1_000_000])
    }
}
