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
