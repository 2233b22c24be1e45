import Testing
@testable import RTP

@Suite struct RtcpSenderReportTests {
    /// An SR with one report block, laid out as in RFC 3550 §6.4.1.
    static let vector = hex("""
        81 C8 000C   # V=2 P=0 RC=1, PT=200, length 12 (52 bytes)
        12345678     # SSRC of sender
        E5E01A2B     # NTP timestamp, most significant word
        80000000     # NTP timestamp, least significant word (0.5 s)
        0001E240     # RTP timestamp 123456
        000003E8     # sender's packet count 1000
        00027100     # sender's octet count 160000
        DEADBEEF     # report block: SSRC_1
        40 000005    # fraction lost 64/256, cumulative lost 5
        00010010     # extended highest sequence number
        00000020     # interarrival jitter 32
        1A2B8000     # last SR
        00018000     # delay since last SR
        """)

    @Test func parsesTheVectorFieldByField() throws {
        let report = try expectRebuilds(Self.vector, as: RtcpSenderReport.self)
        #expect(report.ssrc == 0x1234_5678)
        #expect(report.ntpTimestamp == 0xE5E0_1A2B_8000_0000)
        #expect(report.rtpTimestamp == 123_456)
        #expect(report.packetCount == 1000)
        #expect(report.octetCount == 160_000)
        #expect(report.profileExtension.isEmpty)
        #expect(report.reportBlocks == [
            RtcpReportBlock(
                ssrc: 0xDEAD_BEEF, fractionLost: 64, cumulativeLost: 5,
                extendedHighestSequenceNumber: 0x1_0010, jitter: 32,
                lastSenderReport: 0x1A2B_8000, delaySinceLastSenderReport: 0x1_8000),
        ])
    }

    @Test func roundTrips() throws {
        try expectRoundTrip(RtcpSenderReport(
            ssrc: 1, ntpTimestamp: 0x0102_0304_0506_0708, rtpTimestamp: 9, packetCount: 10,
            octetCount: 11))
        let blocks = (0..<31).map { RtcpReportBlock(ssrc: UInt32($0), fractionLost: UInt8($0)) }
        let bytes = try expectRoundTrip(RtcpSenderReport(
            ssrc: .max, ntpTimestamp: .max, rtpTimestamp: .max, packetCount: .max,
            octetCount: .max, reportBlocks: blocks, profileExtension: [1, 2, 3, 4, 5, 6, 7, 8]))
        #expect(bytes.count == 4 + 24 + 31 * 24 + 8)
        #expect(bytes[0] == 0x9F)
    }

    @Test func keepsTheProfileExtension() throws {
        let bytes = hex("80 C8 0007  12345678  00000000 00000000  00000000 00000000 00000000  CAFEBABE")
        let report = try expectRebuilds(bytes, as: RtcpSenderReport.self)
        #expect(report.reportBlocks.isEmpty)
        #expect(report.profileExtension == [0xCA, 0xFE, 0xBA, 0xBE])
    }

    @Test func rejectsOtherPacketTypes() {
        #expect(throws: RtcpParseError.unexpectedPacketType(type: 201, countOrFormat: 0)) {
            try RtcpSenderReport.parse(hex("80 C9 0001 12345678"))
        }
    }
}
