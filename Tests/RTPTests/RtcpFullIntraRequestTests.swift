import Testing
@testable import RTP

@Suite struct RtcpFullIntraRequestTests {
    @Test func parsesTheVectorFieldByField() throws {
        let bytes = hex("""
            84 CE 0006   # V=2 P=0 FMT=4, PT=206, length 6 (28 bytes)
            00000001     # SSRC of packet sender
            00000000     # SSRC of media source: unused
            12345678     # FCI 1: SSRC
            07 000000    # sequence number 7, reserved
            9ABCDEF0     # FCI 2: SSRC
            FF 000000    # sequence number 255, reserved
            """)
        let fir = try expectRebuilds(bytes, as: RtcpFullIntraRequest.self)
        #expect(fir.senderSsrc == 1)
        #expect(fir.mediaSsrc == 0)
        #expect(fir.entries == [
            .init(ssrc: 0x1234_5678, sequenceNumber: 7), .init(ssrc: 0x9ABC_DEF0, sequenceNumber: 255),
        ])
    }

    @Test func reservedBitsAreIgnored() throws {
        let bytes = hex("84 CE 0004  00000001 00000000  12345678 07 ABCDEF")
        let fir = try RtcpFullIntraRequest.parse(bytes)
        #expect(fir.entries == [.init(ssrc: 0x1234_5678, sequenceNumber: 7)])
        #expect(try fir.bytes() == hex("84 CE 0004  00000001 00000000  12345678 07 000000"))
    }

    @Test func roundTrips() throws {
        try expectRoundTrip(RtcpFullIntraRequest(
            senderSsrc: 5, entries: (0..<10).map { .init(ssrc: UInt32($0) * 1000, sequenceNumber: UInt8($0)) }))
        try expectRoundTrip(RtcpFullIntraRequest(senderSsrc: 5, mediaSsrc: 6, entries: [.init(ssrc: 1, sequenceNumber: 0)]))
    }
}
