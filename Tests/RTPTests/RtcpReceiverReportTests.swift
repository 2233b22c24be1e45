import Testing
@testable import RTP

@Suite struct RtcpReceiverReportTests {
    static let vector = hex("""
        81 C9 0007   # V=2 P=0 RC=1, PT=201, length 7 (32 bytes)
        0BADCAFE     # SSRC of packet sender
        11223344     # report block: SSRC_1
        FF FFFFFE    # fraction lost 255/256, cumulative lost -2
        0000FFFF     # extended highest sequence number
        00000100     # jitter
        00000000     # last SR: none yet
        00000000     # delay since last SR
        """)

    @Test func parsesTheVectorFieldByField() throws {
        let report = try expectRebuilds(Self.vector, as: RtcpReceiverReport.self)
        #expect(report.ssrc == 0x0BAD_CAFE)
        #expect(report.reportBlocks.count == 1)
        let block = try #require(report.reportBlocks.first)
        #expect(block.ssrc == 0x1122_3344)
        #expect(block.fractionLost == 255)
        #expect(block.cumulativeLost == -2)
        #expect(block.extendedHighestSequenceNumber == 0xFFFF)
        #expect(block.jitter == 256)
        #expect(block.lastSenderReport == 0)
        #expect(block.delaySinceLastSenderReport == 0)
    }

    @Test func anEmptyReportIsEightBytes() throws {
        let bytes = try expectRoundTrip(RtcpReceiverReport(ssrc: 0x0102_0304))
        #expect(bytes == hex("80 C9 0001 01020304"))
    }

    @Test func roundTrips() throws {
        try expectRoundTrip(RtcpReceiverReport(
            ssrc: 7,
            reportBlocks: [
                RtcpReportBlock(
                    ssrc: 1, fractionLost: 3, cumulativeLost: -100,
                    extendedHighestSequenceNumber: 0x0003_0001, jitter: 12,
                    lastSenderReport: 0xABCD_EF01, delaySinceLastSenderReport: 655),
                RtcpReportBlock(ssrc: 2),
            ],
            profileExtension: [9, 9, 9, 9]))
    }
}
