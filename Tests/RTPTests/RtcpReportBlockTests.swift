import Testing
@testable import RTP

@Suite struct RtcpReportBlockTests {
    @Test func readsEveryFieldAndSignExtendsTheLoss() {
        let bytes = hex("""
            11223344   # SSRC
            FF FFFFFE  # fraction lost 255/256, cumulative lost -2
            0001FFFF   # extended highest sequence number: cycle 1, sequence 65535
            00000100   # jitter 256
            1A2B8000   # LSR
            00018000   # DLSR 1.5 s
            """)
        let block = bytes.withUnsafeBytes { RtcpReportBlock(reading: $0, at: 0) }
        #expect(block.ssrc == 0x1122_3344)
        #expect(block.fractionLost == 255)
        #expect(block.cumulativeLost == -2)
        #expect(block.extendedHighestSequenceNumber == 0x1_FFFF)
        #expect(block.jitter == 256)
        #expect(block.lastSenderReport == 0x1A2B_8000)
        #expect(block.delaySinceLastSenderReport == 0x1_8000)
    }

    @Test func writesTheSameBytes() throws {
        let bytes = hex("11223344 FF800000 0001FFFF 00000100 1A2B8000 00018000")
        let block = bytes.withUnsafeBytes { RtcpReportBlock(reading: $0, at: 0) }
        #expect(block.cumulativeLost == -0x80_0000)
        var out = [UInt8](repeating: 0xEE, count: RtcpReportBlock.size)
        try block.validate()
        out.withUnsafeMutableBytes { block.write(into: $0, at: 0) }
        #expect(out == bytes)
    }

    @Test func cumulativeLostLimits() throws {
        for lost: Int32 in [0x7F_FFFF, -0x80_0000, 0, -1, 1] {
            try expectRoundTrip(RtcpReceiverReport(
                ssrc: 1, reportBlocks: [RtcpReportBlock(ssrc: 2, cumulativeLost: lost)]))
        }
        for lost: Int32 in [0x80_0000, -0x80_0001, .max, .min] {
            let report = RtcpReceiverReport(
                ssrc: 1, reportBlocks: [RtcpReportBlock(ssrc: 2, cumulativeLost: lost)])
            #expect(throws: RtcpBuildError.cumulativeLostOutOfRange(lost)) { try report.bytes() }
        }
    }
}
