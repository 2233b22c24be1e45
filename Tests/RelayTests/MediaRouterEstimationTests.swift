import Congestion
import Foundation
import RTP
import Testing
@testable import Relay

@Suite struct MediaRouterEstimationTests {
    /// Transport-wide feedback saying every packet in `numbers` arrived, 1 ms apart.
    static func feedback(for numbers: [UInt16], count: UInt8) -> [UInt8]? {
        guard let first = numbers.first else { return nil }
        let statuses = (0..<numbers.count).map { _ in TransportFeedbackStatus.receivedSmallDelta(4) }
        return try? RtcpTransportFeedback(
            senderSsrc: 0x5555, mediaSsrc: 0, baseSequenceNumber: first, referenceTime: 10,
            feedbackPacketCount: count, statuses: statuses).bytes()
    }

    static func received(_ subscriber: SimulatedBrowser) throws -> [RtpPacket] {
        try subscriber.received.map { try RtpPacket(parsing: $0) }
    }

    static func transportNumbers(_ packets: [RtpPacket]) -> [UInt16] {
        packets.compactMap { packet in
            packet.extensions.first { $0.id == SubscribeHeaderExtensions.transportSequenceNumberID }
                .map { UInt16($0.data[0]) << 8 | UInt16($0.data[1]) }
        }
    }

    @Test func feedbackFromASubscriberGivesAnEstimateAndProbes() throws {
        let (call, publisher, subscriber) = try MediaRouterTests.videoCallWithRetransmissions()
        #expect(call.router.statistics.subscribers.isEmpty, "no estimate before the subscriber says anything")

        var feedbackCount: UInt8 = 0
        for round in 0..<4 {
            for sequence in UInt16(round * 10)..<UInt16(round * 10 + 10) {
                try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink)
            }
            subscriber.collect(from: call.sink)
            let numbers = Self.transportNumbers(try Self.received(subscriber))
            subscriber.received.removeAll()
            let report = try #require(Self.feedback(for: numbers, count: feedbackCount))
            feedbackCount &+= 1
            try subscriber.sendRtcp(report, to: call.router, sink: call.sink)
            usleep(20_000)
        }
        let estimate = try #require(call.router.statistics.subscribers.first)
        #expect(estimate.transport == TransportID(2))
        #expect(estimate.bitrate > 0)

        // The estimator asks for start-up probes: padding on the RTX stream, stamped with the
        // transport-wide sequence numbers that follow the media's.
        let deadline = Monotonic.now() + 500_000_000
        while call.router.probePackets == 0, Monotonic.now() < deadline {
            call.router.handleTimeout(now: Monotonic.now(), sink: call.sink)
            usleep(2_000)
        }
        #expect(call.router.probePackets > 0)
        subscriber.collect(from: call.sink)
        let probes = try Self.received(subscriber).filter { $0.ssrc == 0xDCBA }
        #expect(!probes.isEmpty)
        #expect(probes.allSatisfy { $0.payload.isEmpty && $0.paddingLength == 255 && $0.payloadType == 97 })
        let numbers = Self.transportNumbers(probes)
        #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $1 == $0 &+ 1 })
    }

    @Test func aLargeProbeClusterGoesAsCopiesOfTheLastMediaPacketOnTheRetransmissionStream() throws {
        let (call, publisher, subscriber) = try MediaRouterTests.videoCallWithRetransmissions()
        var media: [RtpPacket] = []
        for round in UInt8(0)..<2 {
            for sequence in UInt16(round) * 10..<UInt16(round) * 10 + 10 {
                try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink)
            }
            subscriber.collect(from: call.sink)
            media += try Self.received(subscriber)
            subscriber.received.removeAll()
            let report = try #require(Self.feedback(for: Self.transportNumbers(media.suffix(10)), count: round))
            try subscriber.sendRtcp(report, to: call.router, sink: call.sink)
        }
        let last = try #require(media.last)
        let leg = try #require(call.router.transports[TransportID(2)]).subscribing
        let start = Monotonic.now()
        // 8 Mbit/s for 15 ms: 15,000 bytes, room for many full packets.
        leg.probe = ProbeSchedule(request: ProbeRequest(clusterId: 99, bitrate: 8_000_000), mediaBitrate: 0, start: start)
        #expect(leg.probe?.sendsCopies == true)
        call.router.handleTimeout(now: start + 20_000_000, sink: call.sink)
        #expect(leg.probe == nil, "the whole cluster went")
        subscriber.collect(from: call.sink)
        let probes = try Self.received(subscriber).filter { $0.ssrc == 0xDCBA }
        // About 660 bytes each: 15,000 bytes take 23.
        #expect((20...25).contains(probes.count))
        #expect(call.router.probePackets == UInt64(probes.count))
        for probe in probes {
            // RFC 4588 §4: the original sequence number, then the payload as first sent.
            #expect(probe.payloadType == 97 && probe.paddingLength == 0)
            #expect(probe.payload.count == last.payload.count + 2)
            #expect(UInt16(probe.payload[0]) << 8 | UInt16(probe.payload[1]) == last.sequenceNumber)
            #expect(Array(probe.payload.dropFirst(2)) == last.payload)
        }
        let numbers = Self.transportNumbers(probes)
        #expect(numbers.first == Self.transportNumbers([last]).first.map { $0 &+ 1 })
        #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $1 == $0 &+ 1 })
    }

    @Test func aSubscriberThatNeverSendsFeedbackIsNeitherEstimatedNorProbed() throws {
        let (call, publisher, subscriber) = try MediaRouterTests.videoCallWithRetransmissions()
        for sequence in UInt16(0)..<50 {
            try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink)
        }
        call.router.handleTimeout(now: Monotonic.now() + 3_000_000_000, sink: call.sink)
        subscriber.collect(from: call.sink)
        #expect(call.router.probePackets == 0)
        #expect(try Self.received(subscriber).allSatisfy { $0.ssrc == 0xABCD })
        #expect(call.router.statistics.subscribers.isEmpty)
    }
}
