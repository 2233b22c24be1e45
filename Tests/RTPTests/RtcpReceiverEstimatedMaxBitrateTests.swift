import Testing
@testable import RTP

@Suite struct RtcpReceiverEstimatedMaxBitrateTests {
    /// 1 Mbit/s for one stream: 1,000,000 has 20 significant bits, so exponent 2 and mantissa
    /// 250,000 (0x3D090); the 24-bit field is 2 << 18 | 0x3D090 = 0x0BD090.
    static let vector = hex("""
        8F CE 0005   # V=2 P=0 FMT=15, PT=206, length 5 (24 bytes)
        00000001     # SSRC of packet sender
        00000000     # SSRC of media source: always 0
        52454D42     # "REMB"
        01 0BD090    # 1 SSRC; exponent 2, mantissa 250000
        12345678     # SSRC feedback
        """)

    @Test func parsesTheVectorFieldByField() throws {
        let remb = try expectRebuilds(Self.vector, as: RtcpReceiverEstimatedMaxBitrate.self)
        #expect(remb.senderSsrc == 1)
        #expect(remb.mediaSsrc == 0)
        #expect(remb.bitrate == 1_000_000)
        #expect(remb.ssrcs == [0x1234_5678])
    }

    /// Exponent and mantissa as one array, so expectations compare plain values.
    func encoded(_ bitrate: UInt64) -> [UInt64] {
        let (exponent, mantissa) = RtcpReceiverEstimatedMaxBitrate.encode(bitrate: bitrate)
        return [UInt64(exponent), UInt64(mantissa)]
    }

    @Test func encodesExponentAndMantissa() {
        #expect(encoded(0) == [0, 0])
        #expect(encoded(0x3_FFFF) == [0, 0x3_FFFF])
        #expect(encoded(0x4_0000) == [1, 0x2_0000])
        #expect(encoded(1_000_000) == [2, 250_000])
        #expect(encoded(.max) == [46, 0x3_FFFF])
    }

    @Test func roundsDownWhatTheMantissaCannotHold() throws {
        #expect(encoded(1_000_003) == [2, 250_000])
        let remb = RtcpReceiverEstimatedMaxBitrate(senderSsrc: 1, bitrate: 1_000_003, ssrcs: [])
        #expect(try RtcpReceiverEstimatedMaxBitrate.parse(remb.bytes()).bitrate == 1_000_000)
        let huge = RtcpReceiverEstimatedMaxBitrate(senderSsrc: 1, bitrate: .max, ssrcs: [])
        #expect(try RtcpReceiverEstimatedMaxBitrate.parse(huge.bytes()).bitrate == 0x3_FFFF << 46)
    }

    @Test func decodingChecksForOverflow() throws {
        #expect(try RtcpReceiverEstimatedMaxBitrate.decode(exponent: 63, mantissa: 1) == 1 << 63)
        #expect(try RtcpReceiverEstimatedMaxBitrate.decode(exponent: 63, mantissa: 0) == 0)
        #expect(try RtcpReceiverEstimatedMaxBitrate.decode(exponent: 46, mantissa: 0x3_FFFF) == 0x3_FFFF << 46)
        #expect(throws: RtcpParseError.rembBitrateOverflow(exponent: 47, mantissa: 0x3_FFFF)) {
            try RtcpReceiverEstimatedMaxBitrate.decode(exponent: 47, mantissa: 0x3_FFFF)
        }
        #expect(throws: RtcpParseError.rembBitrateOverflow(exponent: 63, mantissa: 2)) {
            try RtcpReceiverEstimatedMaxBitrate.decode(exponent: 63, mantissa: 2)
        }
    }

    @Test func aNonMinimalMantissaReadsRightAndIsWrittenMinimal() throws {
        // Exponent 10, mantissa 1: 1024 bit/s, which the smallest form writes as exponent 0.
        let bytes = hex("8F CE 0004  00000001 00000000  52454D42  00 280001")
        let remb = try RtcpReceiverEstimatedMaxBitrate.parse(bytes)
        #expect(remb.bitrate == 1024)
        #expect(try remb.bytes() == hex("8F CE 0004  00000001 00000000  52454D42  00 000400"))
    }

    @Test func roundTrips() throws {
        for bitrate: UInt64 in [0, 1, 0x3_FFFF, 30_000, 2_500_000, 1 << 40, 0x3_FFFF << 46] {
            try expectRoundTrip(RtcpReceiverEstimatedMaxBitrate(
                senderSsrc: 9, bitrate: bitrate, ssrcs: [1, 2, 3]))
        }
        try expectRoundTrip(RtcpReceiverEstimatedMaxBitrate(
            senderSsrc: 9, bitrate: 100, ssrcs: (0..<255).map { UInt32($0) }))
    }

    /// Captured from Chromium 156 (Fixtures/chrome-rtcp-remb.md): the REMB inside an RR+REMB+XR
    /// compound, at byte 56.
    @Test func chromeRemb() throws {
        let compound = try Fixture.bytes("chrome-rtcp-remb")
        let bytes = Array(compound[56..<84])
        let remb = try expectRebuilds(bytes, as: RtcpReceiverEstimatedMaxBitrate.self)
        #expect(remb.senderSsrc == 0x4BF3_0A1E)
        #expect(remb.mediaSsrc == 0)
        #expect(remb.bitrate == 108_376)  // exponent 0, mantissa 0x1A758
        #expect(remb.ssrcs == [0x140D_544B, 0xEEB2_6DE0])
    }
}
