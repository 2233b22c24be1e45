import Testing
@testable import RTP

@Suite struct RtcpHeaderTests {
    @Test func readsTheFields() throws {
        // V=2 P=0 count=1, PT=201, length 7 words: a 32-byte RR, followed by 4 bytes of another packet.
        let bytes = hex("81 C9 0007") + [UInt8](repeating: 0, count: 28) + hex("80 CE 0002")
        let header = try bytes.withUnsafeBytes { raw throws(RtcpParseError) in try RtcpHeader.parse(raw) }
        #expect(header.countOrFormat == 1)
        #expect(header.packetType == 201)
        #expect(header.packetLength == 32)
        #expect(header.paddingLength == 0)
        #expect(header.bodyRange == 4..<32)
    }

    @Test func paddingIsExcludedFromTheBody() throws {
        // P=1, PT=204, length 3 words; the last octet says 3 bytes of padding.
        let bytes = hex("A0 CC 0003  11223344  54455354  AA 00 00 03")
        let header = try bytes.withUnsafeBytes { raw throws(RtcpParseError) in try RtcpHeader.parse(raw) }
        #expect(header.paddingLength == 3)
        #expect(header.bodyRange == 4..<13)
    }

    @Test func rejectsMalformedHeaders() {
        func parse(_ bytes: [UInt8]) throws {
            _ = try bytes.withUnsafeBytes { raw throws(RtcpParseError) in try RtcpHeader.parse(raw) }
        }
        #expect(throws: RtcpParseError.truncatedHeader(length: 0)) { try parse([]) }
        #expect(throws: RtcpParseError.truncatedHeader(length: 3)) { try parse(hex("80 C9 00")) }
        #expect(throws: RtcpParseError.badVersion(1)) { try parse(hex("40 C9 0000")) }
        #expect(throws: RtcpParseError.badVersion(3)) { try parse(hex("C0 C9 0000")) }
        #expect(throws: RtcpParseError.lengthPastEnd(declared: 12, available: 8)) {
            try parse(hex("80 C9 0002 11223344"))
        }
        #expect(throws: RtcpParseError.zeroPaddingLength) { try parse(hex("A0 C9 0001 11223300")) }
        #expect(throws: RtcpParseError.paddingLongerThanPacket(padding: 5, available: 4)) {
            try parse(hex("A0 C9 0001 11223305"))
        }
    }

    @Test func paddingMayTakeTheWholeBody() throws {
        let bytes = hex("A0 C9 0001 00000004")
        let header = try bytes.withUnsafeBytes { raw throws(RtcpParseError) in try RtcpHeader.parse(raw) }
        #expect(header.bodyRange == 4..<4)
    }
}
