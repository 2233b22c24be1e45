import Testing
@testable import RTP

@Suite struct RtcpPacketKindTests {
    @Test func writesIntoACallersBufferAndLeavesTheRest() throws {
        let pli = RtcpPictureLossIndication(senderSsrc: 1, mediaSsrc: 2)
        var buffer = [UInt8](repeating: 0xEE, count: 16)
        let written = try buffer.withUnsafeMutableBytes { raw throws(RtcpBuildError) in try pli.write(into: raw) }
        #expect(written == 12)
        #expect(buffer == hex("81 CE 0002 00000001 00000002 EEEEEEEE"))
    }

    @Test func parsingAnArrayMatchesParsingTheBuffer() throws {
        let bytes = RtcpReceiverReportTests.vector
        let fromBuffer = try bytes.withUnsafeBytes { raw throws(RtcpParseError) in try RtcpReceiverReport.parse(raw) }
        #expect(try RtcpReceiverReport.parse(bytes) == fromBuffer)
    }

    @Test func aBufferTooSmallIsAnError() {
        let pli = RtcpPictureLossIndication(senderSsrc: 1, mediaSsrc: 2)
        var buffer = [UInt8](repeating: 0, count: 11)
        #expect(throws: RtcpBuildError.bufferTooSmall(needed: 12, available: 11)) {
            try buffer.withUnsafeMutableBytes { raw throws(RtcpBuildError) in try pli.write(into: raw) }
        }
    }
}
