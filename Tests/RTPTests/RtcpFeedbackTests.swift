import Testing
@testable import RTP

@Suite struct RtcpFeedbackTests {
    @Test(arguments: [(205, 1), (205, 15), (206, 1), (206, 4)] as [(UInt8, UInt8)])
    func everyFeedbackKindNeedsBothSsrcs(type: UInt8, format: UInt8) {
        // Only the sender SSRC: the media SSRC is missing.
        let bytes = [0x80 | format, type, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01]
        #expect(throws: RtcpParseError.feedbackHeaderTruncated(length: 4)) { try RtcpCompound.parse(bytes) }
    }

    @Test func aRembNeedsBothSsrcs() throws {
        // In a compound this is an unknown application-layer message: no identifier to say REMB.
        let bytes = hex("8F CE 0001 00000001")
        #expect(throws: RtcpParseError.feedbackHeaderTruncated(length: 4)) {
            try RtcpReceiverEstimatedMaxBitrate.parse(bytes)
        }
        #expect(try RtcpCompound.parse(bytes).packets == [.unknown(.init(packetType: 206, countOrFormat: 15, body: [0, 0, 0, 1]))])
    }

    @Test func packetTypes() {
        #expect(RtcpFeedback.transportLayerType == 205)
        #expect(RtcpFeedback.payloadSpecificType == 206)
        #expect(RtcpGenericNack.packetType == 205 && RtcpGenericNack.format == 1)
        #expect(RtcpTransportFeedback.packetType == 205 && RtcpTransportFeedback.format == 15)
        #expect(RtcpPictureLossIndication.packetType == 206 && RtcpPictureLossIndication.format == 1)
        #expect(RtcpFullIntraRequest.packetType == 206 && RtcpFullIntraRequest.format == 4)
        #expect(RtcpReceiverEstimatedMaxBitrate.packetType == 206 && RtcpReceiverEstimatedMaxBitrate.format == 15)
    }
}
