import Foundation
import RTP
import Testing
@testable import Relay

@Suite struct MediaRouterPublisherFeedbackTests {
    static let transportWideID: UInt8 = 5

    /// A video track whose packets carry the transport-wide sequence number under id 5 and
    /// whose retransmissions come on SSRC 0x2222.
    static func publish(_ call: MediaRouterTests.Call) {
        call.router.addTrack(TrackDescription(
            id: TrackID(1), transport: TransportID(1), kind: .video, mid: "1", ssrcs: [0x1111], rtxSsrcs: [0x2222],
            payloadType: 96, clockRate: 90_000, midExtensionID: nil, transportSequenceNumberExtensionID: transportWideID))
    }

    static func packet(_ sequence: UInt16, transportWide: UInt16) -> RtpPacket {
        var packet = MediaRouterTests.videoPacket(sequence)
        packet.extensions = [.init(id: transportWideID, data: [UInt8(transportWide >> 8), UInt8(transportWide & 0xFF)])]
        return packet
    }

    /// The retransmission of `original` as a browser sends it on its RTX stream.
    static func retransmission(of original: RtpPacket, rtxSequence: UInt16, transportWide: UInt16) -> RtpPacket {
        RtpPacket(
            marker: original.marker, payloadType: 97, sequenceNumber: rtxSequence, timestamp: original.timestamp, ssrc: 0x2222,
            extensions: [.init(id: transportWideID, data: [UInt8(transportWide >> 8), UInt8(transportWide & 0xFF)])],
            payload: [UInt8(original.sequenceNumber >> 8), UInt8(original.sequenceNumber & 0xFF)] + original.payload)
    }

    static func rtcp(_ browser: SimulatedBrowser) -> [RtcpPacket] {
        browser.receivedRtcp.compactMap { try? RtcpCompound.parse($0.withUnsafeBytes { $0 }) }.flatMap(\.packets)
    }

    @Test func thePublisherGetsTransportWideFeedbackOnEveryPacketItSent() throws {
        let call = try MediaRouterTests.makeCall()
        let publisher = try MediaRouterTests.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        Self.publish(call)
        // Transport-wide numbers 65534...2, the one of 0 lost on the way, across the wrap.
        let numbers: [UInt16] = [65_534, 65_535, 1, 2]
        for (index, number) in numbers.enumerated() {
            try publisher.sendRtp(Self.packet(UInt16(100 + index), transportWide: number), to: call.router, sink: call.sink)
        }
        // A padding probe on the RTX stream is reported too, and not forwarded.
        var padding = Self.retransmission(of: Self.packet(0, transportWide: 0), rtxSequence: 9, transportWide: 3)
        padding.payload = []
        padding.paddingLength = 200
        try publisher.sendRtp(padding, to: call.router, sink: call.sink)
        #expect(call.router.drops[.publisherPadding] == 1)

        let deadline = try #require(call.router.nextTimeout)
        call.router.handleTimeout(now: max(deadline, Monotonic.now()) + 1_000_000, sink: call.sink)
        publisher.collect(from: call.sink)
        let feedback = Self.rtcp(publisher).compactMap { if case .transportFeedback(let f) = $0 { f } else { nil } }
        let reported = feedback.flatMap(\.receivedPackets).map(\.sequenceNumber)
        #expect(reported == [65_534, 65_535, 1, 2, 3])
        #expect(feedback.first?.baseSequenceNumber == 65_534)
        #expect(feedback.first?.statuses.count == 6, "the lost number is reported as not received")
        #expect(feedback.first?.mediaSsrc == 0x1111)
    }

    @Test func aGapIsAskedForAndTheRetransmissionFillsItForSubscribers() throws {
        let call = try MediaRouterTests.makeCall()
        let publisher = try MediaRouterTests.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let subscriber = try MediaRouterTests.join(call, id: 2, address: .ipv4(10, 0, 0, 2, port: 6000))
        Self.publish(call)
        call.router.subscribe(
            SubscriptionRequest(track: TrackID(1), transport: TransportID(2), ssrc: 0xABCD, payloadType: 96),
            now: Monotonic.now(), sink: call.sink)
        for sequence in UInt16(500)..<UInt16(506) where sequence != 503 {
            try publisher.sendRtp(Self.packet(sequence, transportWide: sequence), to: call.router, sink: call.sink)
        }
        subscriber.collect(from: call.sink)
        let forwarded = try subscriber.received.map { try RtpPacket(parsing: $0) }
        #expect(forwarded.count == 5)
        subscriber.received.removeAll()

        // The relay asks the publisher for 503 at once.
        call.router.handleTimeout(now: Monotonic.now(), sink: call.sink)
        publisher.collect(from: call.sink)
        let nacks = Self.rtcp(publisher).compactMap { if case .genericNack(let n) = $0 { n } else { nil } }
        #expect(nacks.contains { $0.mediaSsrc == 0x1111 && $0.lostSequenceNumbers == [503] })
        #expect(call.router.requestedRetransmissions == 1)

        // The publisher resends it as RTX: the subscriber gets 503 in its own stream, in its place.
        let rtx = Self.retransmission(of: Self.packet(503, transportWide: 503), rtxSequence: 40, transportWide: 506)
        try publisher.sendRtp(rtx, to: call.router, sink: call.sink)
        subscriber.collect(from: call.sink)
        let repaired = try #require(try subscriber.received.map { try RtpPacket(parsing: $0) }.first)
        #expect(repaired.ssrc == 0xABCD && repaired.payloadType == 96)
        #expect(repaired.sequenceNumber == forwarded[2].sequenceNumber &+ 1, "between 502 and 504 as the subscriber numbers them")
        #expect(repaired.timestamp == forwarded[0].timestamp &+ 3000, "503 is one frame after 500")
        #expect(repaired.payload == Self.packet(503, transportWide: 0).payload)
        #expect(call.router.repairedPackets == 1)

        // A second copy is not forwarded again, and 503 is no longer asked for.
        let again = Self.retransmission(of: Self.packet(503, transportWide: 503), rtxSequence: 41, transportWide: 507)
        try publisher.sendRtp(again, to: call.router, sink: call.sink)
        #expect(call.router.drops[.publisherRetransmission] == 1)
        publisher.receivedRtcp.removeAll()
        call.router.handleTimeout(now: Monotonic.now() + 200_000_000, sink: call.sink)
        publisher.collect(from: call.sink)
        #expect(!Self.rtcp(publisher).contains { if case .genericNack = $0 { true } else { false } })
    }
}

extension MediaRouterPublisherFeedbackTests {
    static let absSendTimeID: UInt8 = 3

    /// A publisher that negotiated REMB with abs-send-time (id 3) and no transport-wide
    /// sequence number, as aiortc does.
    static func publishWithRemb(_ call: MediaRouterTests.Call) {
        call.router.addTrack(TrackDescription(
            id: TrackID(1), transport: TransportID(1), kind: .video, mid: "1", ssrcs: [0x1111], payloadType: 96,
            clockRate: 90_000, midExtensionID: nil, absSendTimeExtensionID: absSendTimeID))
    }

    static func remb(_ browser: SimulatedBrowser) -> [RtcpReceiverEstimatedMaxBitrate] {
        rtcp(browser).compactMap { if case .receiverEstimatedMaxBitrate(let remb) = $0 { remb } else { nil } }
    }

    @Test func aPublisherThatReadsRembGetsTheRelaysEstimateOfItsPath() throws {
        let call = try MediaRouterTests.makeCall()
        let publisher = try MediaRouterTests.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        Self.publishWithRemb(call)
        // 2.5 s of packets every 10 ms, sent and received evenly: an uncongested path.
        let start = Monotonic.now()
        var size = 0
        for index in 0..<250 {
            let sent = UInt64(index) * 10_000_000
            let absSendTime = UInt32((sent << 18) / 1_000_000_000 & 0xFF_FFFF)
            var packet = MediaRouterTests.videoPacket(UInt16(index))
            packet.extensions = [.init(id: Self.absSendTimeID, data: [UInt8(absSendTime >> 16), UInt8(absSendTime >> 8 & 0xFF), UInt8(absSendTime & 0xFF)])]
            size = try packet.bytes().count
            try publisher.sendRtp(packet, to: call.router, sink: call.sink, at: start + sent + 20_000_000)
        }
        let end = start + 2_520_000_000
        let due = try #require(call.router.nextTimeout)
        #expect(due <= end, "the first REMB is due once the rate was measured")
        call.router.handleTimeout(now: end, sink: call.sink)
        publisher.collect(from: call.sink)
        let rembs = Self.remb(publisher)
        let remb = try #require(rembs.first)
        #expect(rembs.count == 1)
        #expect(remb.ssrcs == [0x1111])
        let incoming = Double(size * 8 * 100)
        #expect(abs(Double(remb.bitrate) - incoming) <= 0.1 * incoming, "\(remb.bitrate) against \(incoming)")
        // Nor is there transport-wide feedback: this publisher did not negotiate it.
        #expect(!Self.rtcp(publisher).contains { if case .transportFeedback = $0 { true } else { false } })
        // The next one comes a second later.
        let next = call.router.transports[TransportID(1)]?.publishing.receiveEstimator?.nextReport
        #expect(next.map { $0 >= end + 900_000_000 } == true)
    }

    @Test func aPublisherWithTransportWideFeedbackGetsNoRemb() throws {
        let call = try MediaRouterTests.makeCall()
        let publisher = try MediaRouterTests.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        call.router.addTrack(TrackDescription(
            id: TrackID(1), transport: TransportID(1), kind: .video, mid: "1", ssrcs: [0x1111], payloadType: 96,
            clockRate: 90_000, midExtensionID: nil, transportSequenceNumberExtensionID: Self.transportWideID,
            absSendTimeExtensionID: Self.absSendTimeID))
        let start = Monotonic.now()
        for index in 0..<250 {
            let sent = UInt64(index) * 10_000_000
            var packet = Self.packet(UInt16(index), transportWide: UInt16(index))
            packet.extensions.append(.init(id: Self.absSendTimeID, data: [0, UInt8(index >> 8), UInt8(index & 0xFF)]))
            try publisher.sendRtp(packet, to: call.router, sink: call.sink, at: start + sent)
            call.router.handleTimeout(now: start + sent, sink: call.sink)
        }
        publisher.collect(from: call.sink)
        #expect(Self.remb(publisher).isEmpty)
        #expect(Self.rtcp(publisher).contains { if case .transportFeedback = $0 { true } else { false } })
    }
}
