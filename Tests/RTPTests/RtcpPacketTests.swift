import Testing
@testable import RTP

@Suite struct RtcpPacketTests {
    static let allKinds: [RtcpPacket] = [
        .senderReport(.init(
            ssrc: 1, ntpTimestamp: 2, rtpTimestamp: 3, packetCount: 4, octetCount: 5,
            reportBlocks: [.init(ssrc: 6, fractionLost: 7, cumulativeLost: -8)])),
        .receiverReport(.init(ssrc: 1, reportBlocks: [.init(ssrc: 2, jitter: 3)])),
        .sourceDescription(.init(chunks: [.init(source: 1, items: [.init(type: 1, text: "cname")])])),
        .goodbye(.init(sources: [1, 2], reasonText: "bye")),
        .applicationDefined(.init(subtype: 1, ssrc: 2, name: 0x5445_5354, data: [1, 2, 3, 4])),
        .genericNack(.init(senderSsrc: 1, mediaSsrc: 2, lostSequenceNumbers: [10, 12, 40])),
        .transportFeedback(.init(
            senderSsrc: 1, mediaSsrc: 2, baseSequenceNumber: 3, referenceTime: 4,
            feedbackPacketCount: 5, statuses: [.receivedSmallDelta(1), .notReceived, .receivedLargeDelta(-2)])),
        .pictureLossIndication(.init(senderSsrc: 1, mediaSsrc: 2)),
        .fullIntraRequest(.init(senderSsrc: 1, entries: [.init(ssrc: 2, sequenceNumber: 3)])),
        .receiverEstimatedMaxBitrate(.init(senderSsrc: 1, bitrate: 123_456, ssrcs: [2, 3])),
        .unknown(.init(packetType: 207, countOrFormat: 0, body: [0, 0, 0, 1])),
    ]

    @Test(arguments: allKinds) func everyKindRoundTrips(packet: RtcpPacket) throws {
        let bytes = try expectRoundTrip(packet)
        #expect(try packet.packet.bytes() == bytes)
    }

    @Test func dispatchesOnTypeAndFormat() throws {
        #expect(try RtcpPacket.parse(RtcpSenderReportTests.vector) == .senderReport(RtcpSenderReport.parse(RtcpSenderReportTests.vector)))
        #expect(try RtcpPacket.parse(RtcpReceiverReportTests.vector) == .receiverReport(RtcpReceiverReport.parse(RtcpReceiverReportTests.vector)))
        #expect(try RtcpPacket.parse(RtcpReceiverEstimatedMaxBitrateTests.vector)
            == .receiverEstimatedMaxBitrate(RtcpReceiverEstimatedMaxBitrate.parse(RtcpReceiverEstimatedMaxBitrateTests.vector)))
        #expect(try RtcpPacket.parse(RtcpTransportFeedbackTests.vector)
            == .transportFeedback(RtcpTransportFeedback.parse(RtcpTransportFeedbackTests.vector)))
    }

    @Test func readsOnlyTheFirstPacket() throws {
        let bytes = hex("81 CE 0002 00000001 00000002") + hex("FF FF")
        #expect(try RtcpPacket.parse(bytes) == .pictureLossIndication(.init(senderSsrc: 1, mediaSsrc: 2)))
    }
}

extension RtcpPacket: CustomTestStringConvertible {
    public var testDescription: String {
        switch self {
        case .senderReport: "SR"
        case .receiverReport: "RR"
        case .sourceDescription: "SDES"
        case .goodbye: "BYE"
        case .applicationDefined: "APP"
        case .genericNack: "NACK"
        case .transportFeedback: "TWCC"
        case .pictureLossIndication: "PLI"
        case .fullIntraRequest: "FIR"
        case .receiverEstimatedMaxBitrate: "REMB"
        case .unknown(let packet): "unknown \(packet.packetType)"
        }
    }
}
