import Testing
@testable import RTP

@Suite struct RtcpGoodbyeTests {
    @Test func parsesAByeWithAReason() throws {
        let bytes = hex("""
            82 CB 0004   # V=2 P=0 SC=2, PT=203, length 4 (20 bytes)
            12345678     # SSRC 1
            9ABCDEF0     # SSRC 2
            04 676F6E65  # reason length 4, "gone"
            000000       # padding to the word
            """)
        let bye = try expectRebuilds(bytes, as: RtcpGoodbye.self)
        #expect(bye.sources == [0x1234_5678, 0x9ABC_DEF0])
        #expect(bye.reason == Array("gone".utf8))
        #expect(bye.reasonText == "gone")
    }

    @Test func aReasonFillingTheWordNeedsNoPadding() throws {
        let bytes = hex("81 CB 0002  12345678  03 627965")
        let bye = try expectRebuilds(bytes, as: RtcpGoodbye.self)
        #expect(bye.reasonText == "bye")
    }

    @Test func theReasonIsOptional() throws {
        let bytes = hex("81 CB 0001 12345678")
        let bye = try expectRebuilds(bytes, as: RtcpGoodbye.self)
        #expect(bye.sources == [0x1234_5678])
        #expect(bye.reason == nil)
        #expect(bye.reasonText == nil)
    }

    @Test func roundTrips() throws {
        try expectRoundTrip(RtcpGoodbye(sources: []))
        try expectRoundTrip(RtcpGoodbye(sources: [1], reason: []))
        try expectRoundTrip(RtcpGoodbye(sources: Array(1...31), reasonText: "leaving the room"))
        try expectRoundTrip(RtcpGoodbye(sources: [1, 2], reason: [UInt8](repeating: 0x7A, count: 255)))
    }
}
