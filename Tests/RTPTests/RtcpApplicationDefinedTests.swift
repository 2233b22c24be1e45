import Testing
@testable import RTP

@Suite struct RtcpApplicationDefinedTests {
    @Test func parsesTheVectorFieldByField() throws {
        let bytes = hex("""
            83 CC 0003   # V=2 P=0 subtype=3, PT=204, length 3 (16 bytes)
            12345678     # SSRC
            54455354     # name "TEST"
            01020304     # application data
            """)
        let app = try expectRebuilds(bytes, as: RtcpApplicationDefined.self)
        #expect(app.subtype == 3)
        #expect(app.ssrc == 0x1234_5678)
        #expect(app.name == 0x5445_5354)
        #expect(app.nameBytes == Array("TEST".utf8))
        #expect(app.data == [1, 2, 3, 4])
    }

    @Test func roundTrips() throws {
        try expectRoundTrip(RtcpApplicationDefined(subtype: 0, ssrc: 1, name: 0x6162_6364))
        try expectRoundTrip(RtcpApplicationDefined(
            subtype: 31, ssrc: .max, name: 0, data: (0..<64).map { UInt8($0) }))
    }
}
