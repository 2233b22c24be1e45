import Testing
@testable import RTP

@Suite struct RtcpUnknownPacketTests {
    @Test func keepsAnExtendedReportWhole() throws {
        // XR (RFC 3611, PT=207) with a receiver reference time block: not modelled, kept.
        let bytes = hex("80 CF 0004  12345678  04 00 0002  E5E01A2B 80000000")
        let packet = try expectRebuilds(bytes, as: RtcpUnknownPacket.self)
        #expect(packet.packetType == 207)
        #expect(packet.countOrFormat == 0)
        #expect(packet.body == Array(bytes[4...]))
        #expect(try RtcpPacket.parse(bytes) == .unknown(packet))
    }

    @Test func feedbackWithAnUnknownFormatIsKept() throws {
        // RTPFB FMT=3 (TMMBR) and PSFB FMT=2 (SLI) are not modelled.
        let tmmbr = hex("83 CD 0004  00000001 00000000  12345678 0400C800")
        #expect(try RtcpPacket.parse(tmmbr) == .unknown(.init(packetType: 205, countOrFormat: 3, body: Array(tmmbr[4...]))))
        let sli = hex("82 CE 0003  00000001 12345678  00000000")
        #expect(try RtcpPacket.parse(sli) == .unknown(.init(packetType: 206, countOrFormat: 2, body: Array(sli[4...]))))
    }

    @Test func applicationLayerFeedbackOtherThanRembIsKept() throws {
        // Chrome's loss notification (goog-lntf) is an AFB with identifier "LNTF".
        let lntf = hex("8F CE 0005  00000001 12345678  4C4E5446  00640065 80000000")
        #expect(try RtcpPacket.parse(lntf) == .unknown(.init(packetType: 206, countOrFormat: 15, body: Array(lntf[4...]))))
        // Too short to hold an identifier: nothing says it is a REMB.
        let short = hex("8F CE 0002  00000001 12345678")
        #expect(try RtcpPacket.parse(short) == .unknown(.init(packetType: 206, countOrFormat: 15, body: Array(short[4...]))))
    }

    @Test func paddingIsDroppedFromTheBody() throws {
        let bytes = hex("A0 CF 0002  12345678  AABB0002")
        let packet = try RtcpUnknownPacket.parse(bytes)
        #expect(packet.body == [0x12, 0x34, 0x56, 0x78, 0xAA, 0xBB])
    }

    @Test func roundTrips() throws {
        try expectRoundTrip(RtcpUnknownPacket(packetType: 195, countOrFormat: 1, body: [0, 0, 0, 9]))
        try expectRoundTrip(RtcpUnknownPacket(packetType: 207, countOrFormat: 31, body: []))
    }
}
