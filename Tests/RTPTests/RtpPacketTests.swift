import Testing
@testable import RTP

@Suite struct RtpPacketTests {
    @Test func buildsTheFixedHeaderByteForByte() throws {
        let bytes = try RtpPacket(
            marker: true, payloadType: 111, sequenceNumber: 0x1234, timestamp: 0xDECA_FBAD,
            ssrc: 0xCAFE_BABE, payload: [0xAB, 0xCD]
        ).bytes()
        #expect(bytes == [0x80, 0xEF, 0x12, 0x34, 0xDE, 0xCA, 0xFB, 0xAD, 0xCA, 0xFE, 0xBA, 0xBE, 0xAB, 0xCD])
    }

    @Test func oneByteExtensionsArePaddedToAWord() throws {
        let packet = RtpPacket(
            payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3,
            extensions: [.init(id: 3, data: [0x01, 0x02])], payload: [])
        let bytes = try packet.bytes()
        // 0xBEDE, one word of elements: 0x31 0x01 0x02 then one zero pad byte (RFC 8285 §4.2).
        #expect(Array(bytes[12...]) == [0xBE, 0xDE, 0x00, 0x01, 0x31, 0x01, 0x02, 0x00])
        #expect(bytes[0] == 0x90)
    }

    @Test func writesIntoACallerBufferAndRefusesWhatDoesNotFit() throws {
        let packet = RtpPacket(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, payload: [UInt8](repeating: 7, count: 100))
        var buffer = [UInt8](repeating: 0, count: 1500)
        let written = try buffer.withUnsafeMutableBytes { try packet.write(into: $0) }
        #expect(written == 112)
        #expect(Array(buffer[0..<written]) == (try packet.bytes()))
        var small = [UInt8](repeating: 0, count: 50)
        #expect(throws: RtpPacket.BuildError.bufferTooSmall(needed: 112, available: 50)) {
            try small.withUnsafeMutableBytes { _ = try packet.write(into: $0) }
        }
    }

    @Test func refusesWhatCannotBeEncoded() {
        let tooManyCsrcs = RtpPacket(payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, csrcs: Array(0..<16), payload: [])
        #expect(throws: RtpPacket.BuildError.tooManyCsrcs(16)) { try tooManyCsrcs.bytes() }
        let badID = RtpPacket(payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, extensions: [.init(id: 0, data: [1])], payload: [])
        #expect(throws: RtpPacket.BuildError.invalidExtension(id: 0, length: 1)) { try badID.bytes() }
        let badPadding = RtpPacket(payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload: [], paddingLength: 300)
        #expect(throws: RtpPacket.BuildError.invalidPadding(300)) { try badPadding.bytes() }
    }
}
