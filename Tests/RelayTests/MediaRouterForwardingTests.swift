import Foundation
import RTP
import Testing
@testable import Relay

@Suite struct MediaRouterForwardingTests {
    typealias Call = MediaRouterTests.Call

    static func audioPacket(_ sequence: UInt16) -> RtpPacket {
        RtpPacket(
            payloadType: 111, sequenceNumber: sequence, timestamp: UInt32(sequence) * 960, ssrc: 0x3333,
            extensions: [.init(id: 1, data: [0x80 | 30])], payload: [0xFC] + [UInt8](repeating: 7, count: 80))
    }

    static func transportSequenceNumber(of packet: [UInt8]) throws -> UInt16? {
        MediaRouterEstimationTests.transportNumbers([try RtpPacket(parsing: packet)]).first
    }

    @Test func everyPacketToASubscriberCarriesTheNextTransportWideSequenceNumber() throws {
        let call = try MediaRouterTests.makeCall()
        let publisher = try MediaRouterTests.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let subscriber = try MediaRouterTests.join(call, id: 2, address: .ipv4(10, 0, 0, 2, port: 6000))
        MediaRouterTests.publishVideo(call, from: 1)
        call.router.addTrack(TrackDescription(
            id: TrackID(2), transport: TransportID(1), kind: .audio, mid: "0", ssrcs: [0x3333],
            payloadType: 111, clockRate: 48_000, midExtensionID: nil, audioLevelExtensionID: 1))
        let now = Monotonic.now()
        call.router.subscribe(
            SubscriptionRequest(track: TrackID(1), transport: TransportID(2), ssrc: 0xAAAA, payloadType: 96),
            now: now, sink: call.sink)
        call.router.subscribe(
            SubscriptionRequest(track: TrackID(2), transport: TransportID(2), ssrc: 0xBBBB, payloadType: 111),
            now: now, sink: call.sink)

        for sequence in UInt16(10)..<16 {
            try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink)
            try publisher.sendRtp(Self.audioPacket(sequence), to: call.router, sink: call.sink)
        }
        subscriber.collect(from: call.sink)
        #expect(subscriber.received.count == 12)
        let numbers = try subscriber.received.map { try #require(try Self.transportSequenceNumber(of: $0)) }
        for (previous, next) in zip(numbers, numbers.dropFirst()) {
            #expect(next == previous &+ 1, "one transport-wide sequence across both streams")
        }
        let audio = try subscriber.received.map { try RtpPacket(parsing: $0) }.filter { $0.ssrc == 0xBBBB }
        #expect(audio.count == 6)
        #expect(audio.allSatisfy { $0.extensions.contains(.init(id: SubscribeHeaderExtensions.audioLevelID, data: [0x80 | 30])) },
                "the publisher's audio level passes on under the relay's id")
    }

    @Test func aNackIsAnsweredOnTheRetransmissionStreamWhenThereIsOne() throws {
        let (call, publisher, subscriber) = try MediaRouterTests.videoCallWithRetransmissions()
        for sequence in UInt16(300)..<UInt16(305) {
            try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink)
        }
        subscriber.collect(from: call.sink)
        let sent = try subscriber.received.map { try RtpPacket(parsing: $0) }
        let lost = Array(sent[2...3])
        subscriber.received.removeAll()

        let nack = RtcpGenericNack(senderSsrc: 0x5555, mediaSsrc: 0xABCD, lostSequenceNumbers: lost.map(\.sequenceNumber))
        try subscriber.sendRtcp(try nack.bytes(), to: call.router, sink: call.sink)
        subscriber.collect(from: call.sink)
        let resent = try subscriber.received.map { try RtpPacket(parsing: $0) }
        #expect(resent.count == 2)
        #expect(resent.allSatisfy { $0.ssrc == 0xDCBA && $0.payloadType == 97 })
        #expect(resent.map(\.timestamp) == lost.map(\.timestamp))
        #expect(resent.map(\.sequenceNumber) == [resent[0].sequenceNumber, resent[0].sequenceNumber &+ 1],
                "the RTX stream numbers its packets on its own")
        for (retransmission, original) in zip(resent, lost) {
            let number = original.sequenceNumber
            #expect(Array(retransmission.payload.prefix(2)) == [UInt8(number >> 8), UInt8(number & 0xFF)])
            #expect(Array(retransmission.payload.dropFirst(2)) == original.payload)
        }
        let lastMedia = try #require(try Self.transportSequenceNumber(of: try sent.last.map { try $0.bytes() } ?? []))
        #expect(try Self.transportSequenceNumber(of: try resent[0].bytes()) == lastMedia &+ 1,
                "retransmissions take transport-wide sequence numbers too")
    }
}

extension MediaRouterForwardingTests {
    @Test func nacksAreAnsweredWithinTheSubscribersBudget() throws {
        let (call, publisher, subscriber) = try MediaRouterTests.videoCallWithRetransmissions()
        for sequence in UInt16(0)..<UInt16(400) {
            try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink)
        }
        subscriber.collect(from: call.sink)
        let first = try RtpHeader.parse(try #require(subscriber.received.first)).sequenceNumber
        subscriber.received.removeAll()
        // Six NACKs of 64 packets each ask for 384 retransmissions in one go.
        for batch in 0..<6 {
            let lost = (0..<64).map { first &+ UInt16(batch * 64 + $0) }
            let nack = RtcpGenericNack(senderSsrc: 0x5555, mediaSsrc: 0xABCD, lostSequenceNumbers: lost)
            try subscriber.sendRtcp(try nack.bytes(), to: call.router, sink: call.sink)
        }
        subscriber.collect(from: call.sink)
        #expect(subscriber.received.count == 100, "the burst of the packet budget, no more")
        #expect(call.router.retransmittedPackets == 100)
        #expect(call.router.drops[.retransmissionBudget] == 284)
    }
}

extension MediaRouterForwardingTests {
    @Test func audioLevelsAreReportedAsActivityEveryInterval() throws {
        let call = try MediaRouterTests.makeCall()
        let publisher = try MediaRouterTests.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        call.router.addTrack(TrackDescription(
            id: TrackID(2), transport: TransportID(1), kind: .audio, mid: "0", ssrcs: [0x3333],
            payloadType: 111, clockRate: 48_000, midExtensionID: nil, audioLevelExtensionID: 1))
        let start = Monotonic.now()
        call.router.handleTimeout(now: start, sink: call.sink)
        // Ten packets at -30 dBov (speech), two at -127 (silence).
        for sequence in UInt16(0)..<UInt16(12) {
            var packet = Self.audioPacket(sequence)
            if sequence >= 10 { packet.extensions = [.init(id: 1, data: [127])] }
            try publisher.sendRtp(packet, to: call.router, sink: call.sink)
        }
        let due = try #require(call.router.nextTimeout)
        #expect(due <= start + MediaRouter.activityInterval)
        call.router.handleTimeout(now: start + MediaRouter.activityInterval, sink: call.sink)
        let reports = call.log.all.compactMap { if case .audioActivity(let a) = $0 { a } else { nil } }
        let activity = try #require(reports.last?.first)
        #expect(activity.track == TrackID(2))
        #expect(abs(activity.voicedFraction - 10.0 / 12.0) < 1e-9)
        #expect(abs(activity.loudness - Double(10 * 97) / Double(12 * 127)) < 1e-9)
        // A quiet interval reports nothing.
        call.router.handleTimeout(now: start + 2 * MediaRouter.activityInterval, sink: call.sink)
        #expect(call.log.all.compactMap { if case .audioActivity(let a) = $0 { a } else { nil } }.count == reports.count)
    }
}

extension MediaRouterForwardingTests {
    /// A subscriber sent 100 packets of ~650 bytes over 60 ms (several Mbit/s, far above its
    /// estimate), `lostIndices` of them reported lost, NACKs ten: the packets resent, the
    /// retransmissions refused, and the subscriber's estimate.
    func retransmissionsToAFullPath(lostIndices: Set<Int>) throws -> (resent: [RtpPacket], dropped: UInt64, estimate: Int) {
        let (call, publisher, subscriber) = try MediaRouterTests.videoCallWithRetransmissions()
        // Its first feedback starts the estimate (300 kbit/s to begin with).
        _ = try Self.forward(1, from: 0, call: call, publisher: publisher, subscriber: subscriber, lostIndices: [], feedbackCount: 0)
        for sequence in UInt16(1)..<UInt16(101) {
            if sequence == 51 { usleep(60_000) }
            try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink)
        }
        subscriber.collect(from: call.sink)
        let sent = try MediaRouterEstimationTests.received(subscriber)
        subscriber.received.removeAll()
        let numbers = MediaRouterEstimationTests.transportNumbers(sent)
        try subscriber.sendRtcp(try Self.feedback(for: numbers, lostIndices: lostIndices, count: 1), to: call.router, sink: call.sink)
        let nack = RtcpGenericNack(senderSsrc: 0x5555, mediaSsrc: 0xABCD, lostSequenceNumbers: (0..<10).map { sent[$0].sequenceNumber })
        try subscriber.sendRtcp(try nack.bytes(), to: call.router, sink: call.sink)
        subscriber.collect(from: call.sink)
        let resent = try MediaRouterEstimationTests.received(subscriber).filter { $0.ssrc == 0xDCBA && !$0.payload.isEmpty }
        let estimate = try #require(call.router.statistics.subscribers.first).bitrate
        return (resent, call.router.drops[.retransmissionBudget], estimate)
    }

    /// Sent far more than its estimate, the subscriber still gets repairs, but at once only as
    /// many as half its estimate carries in a quarter of a second: none would freeze its
    /// picture until a keyframe, all would add to the queue that lost them.
    @Test func aSubscriberSentAboveItsEstimateGetsABurstOfRepairsWithinHalfOfIt() throws {
        let (resent, dropped, estimate) = try retransmissionsToAFullPath(lostIndices: [])
        // The budget counts the packets as the relay holds them: as the publisher sent them.
        let size = try MediaRouterTests.videoPacket(0).bytes().count
        let burst = Double(SubscribeLeg.congestedRepairBurst) / 1_000_000_000
        let allowed = Int(SubscribeLeg.congestedRepairShare * Double(estimate) / 8 * burst) / size
        #expect(allowed >= 1 && allowed < 10, "the case shows the budget (estimate \(estimate))")
        #expect(resent.count == allowed)
        #expect(dropped == UInt64(10 - allowed))
    }

    /// A subscriber asking again for packets just resent gets them again only a round trip later.
    @Test func aPacketAskedForAgainWithinARoundTripIsNotResentAgain() throws {
        let (call, publisher, subscriber) = try MediaRouterTests.videoCallWithRetransmissions()
        for sequence in UInt16(0)..<UInt16(10) {
            try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink)
        }
        subscriber.collect(from: call.sink)
        let sent = try MediaRouterEstimationTests.received(subscriber)
        subscriber.received.removeAll()
        let nack = RtcpGenericNack(senderSsrc: 0x5555, mediaSsrc: 0xABCD, lostSequenceNumbers: [sent[3].sequenceNumber, sent[4].sequenceNumber])
        try subscriber.sendRtcp(try nack.bytes(), to: call.router, sink: call.sink)
        try subscriber.sendRtcp(try nack.bytes(), to: call.router, sink: call.sink)
        subscriber.collect(from: call.sink)
        let resent = try MediaRouterEstimationTests.received(subscriber).filter { $0.ssrc == 0xDCBA }
        #expect(resent.count == 2)
        #expect(call.router.drops[.retransmissionRepeated] == 2)
    }
}

extension MediaRouterForwardingTests {
    /// Feedback from `subscriber` on `numbers`, the ones at `lostIndices` reported missing.
    static func feedback(for numbers: [UInt16], lostIndices: Set<Int>, count: UInt8) throws -> [UInt8] {
        let statuses = numbers.indices.map { lostIndices.contains($0) ? TransportFeedbackStatus.notReceived : .receivedSmallDelta(4) }
        return try RtcpTransportFeedback(
            senderSsrc: 0x5555, mediaSsrc: 0, baseSequenceNumber: try #require(numbers.first), referenceTime: 10,
            feedbackPacketCount: count, statuses: statuses).bytes()
    }

    /// Sends `count` packets from sequence `first`, and the subscriber's feedback on them.
    static func forward(
        _ count: Int, from first: UInt16, call: MediaRouterTests.Call, publisher: SimulatedBrowser, subscriber: SimulatedBrowser,
        lostIndices: Set<Int>, feedbackCount: UInt8
    ) throws -> [RtpPacket] {
        for sequence in first..<first &+ UInt16(count) {
            try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink)
        }
        subscriber.collect(from: call.sink)
        let packets = try MediaRouterEstimationTests.received(subscriber)
        subscriber.received.removeAll()
        let numbers = MediaRouterEstimationTests.transportNumbers(packets)
        try subscriber.sendRtcp(try feedback(for: numbers, lostIndices: lostIndices, count: feedbackCount), to: call.router, sink: call.sink)
        return packets
    }

    @Test func aSubscriberLosingAFewPercentGetsEachRetransmissionTwice() throws {
        let (call, publisher, subscriber) = try MediaRouterTests.videoCallWithRetransmissions()
        _ = try Self.forward(1, from: 0, call: call, publisher: publisher, subscriber: subscriber, lostIndices: [], feedbackCount: 0)
        // 2 of 40 lost: 5%, random loss rather than congestion.
        let sent = try Self.forward(40, from: 1, call: call, publisher: publisher, subscriber: subscriber, lostIndices: [10, 30], feedbackCount: 1)
        let lost = [sent[10].sequenceNumber, sent[30].sequenceNumber]
        let nack = RtcpGenericNack(senderSsrc: 0x5555, mediaSsrc: 0xABCD, lostSequenceNumbers: lost)
        try subscriber.sendRtcp(try nack.bytes(), to: call.router, sink: call.sink)
        subscriber.collect(from: call.sink)
        let resent = try MediaRouterEstimationTests.received(subscriber).filter { $0.ssrc == 0xDCBA && !$0.payload.isEmpty }
        let originals = resent.map { UInt16($0.payload[0]) << 8 | UInt16($0.payload[1]) }
        #expect(originals == [lost[0], lost[0], lost[1], lost[1]])
    }

    @Test func aSubscriberLosingNothingGetsEachRetransmissionOnce() throws {
        let (call, publisher, subscriber) = try MediaRouterTests.videoCallWithRetransmissions()
        _ = try Self.forward(1, from: 0, call: call, publisher: publisher, subscriber: subscriber, lostIndices: [], feedbackCount: 0)
        let sent = try Self.forward(40, from: 1, call: call, publisher: publisher, subscriber: subscriber, lostIndices: [], feedbackCount: 1)
        let nack = RtcpGenericNack(senderSsrc: 0x5555, mediaSsrc: 0xABCD, lostSequenceNumbers: [sent[10].sequenceNumber])
        try subscriber.sendRtcp(try nack.bytes(), to: call.router, sink: call.sink)
        subscriber.collect(from: call.sink)
        #expect(try MediaRouterEstimationTests.received(subscriber).filter { $0.ssrc == 0xDCBA && !$0.payload.isEmpty }.count == 1)
    }
}
