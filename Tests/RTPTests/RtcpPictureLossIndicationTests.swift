import Testing
@testable import RTP

@Suite struct RtcpPictureLossIndicationTests {
    @Test func parsesTheVectorFieldByField() throws {
        let bytes = hex("""
            81 CE 0002   # V=2 P=0 FMT=1, PT=206, length 2 (12 bytes)
            00000001     # SSRC of packet sender
            12345678     # SSRC of media source
            """)
        let pli = try expectRebuilds(bytes, as: RtcpPictureLossIndication.self)
        #expect(pli.senderSsrc == 1)
        #expect(pli.mediaSsrc == 0x1234_5678)
    }

    @Test func roundTrips() throws {
        let bytes = try expectRoundTrip(RtcpPictureLossIndication(senderSsrc: 0xFFFF_FFFF, mediaSsrc: 0))
        #expect(bytes.count == 12)
    }

    @Test func otherPayloadSpecificMessagesAreNotPli() {
        #expect(throws: RtcpParseError.unexpectedPacketType(type: 206, countOrFormat: 4)) {
            try RtcpPictureLossIndication.parse(hex("84 CE 0002 00000001 12345678"))
        }
        #expect(throws: RtcpParseError.unexpectedPacketType(type: 205, countOrFormat: 1)) {
            try RtcpPictureLossIndication.parse(hex("81 CD 0002 00000001 12345678"))
        }
    }

    /// Captured from Chromium 156 (Fixtures/chrome-rtcp-pli.md).
    @Test func chromePli() throws {
        let bytes = try Fixture.bytes("chrome-rtcp-pli")
        let pli = try expectRebuilds(bytes, as: RtcpPictureLossIndication.self)
        #expect(pli.senderSsrc == 0x6074_84F7)
        #expect(pli.mediaSsrc == 0x5B8D_14A9)
    }
}
