import Testing
@testable import RTP

@Suite struct RtpHeaderTests {
    @Test func parsesChromeVp8KeyframePacket() throws {
        let bytes = try Fixture.bytes("chrome-rtp-vp8-keyframe")
        #expect(bytes.count == 1120)
        let header = try RtpHeader.parse(bytes)
        #expect(!header.marker)
        #expect(header.payloadType == 96)
        #expect(header.sequenceNumber == 29906)
        #expect(header.timestamp == 2_187_767_452)
        #expect(header.ssrc == 0x5B8D_14A9)
        #expect(header.csrcCount == 0)
        #expect(header.extensionProfile == 0xBEDE)
        #expect(header.extensionRange == 16..<28)
        #expect(header.payloadRange == 28..<1120)
        #expect(header.paddingLength == 0)
        // The VP8 payload descriptor starts the payload: X=1, S=1, PID=0.
        #expect(bytes[header.payloadRange.lowerBound] == 0x90)

        try bytes.withUnsafeBytes { raw in
            let extensions = header.extensions(in: raw)
            try extensions.validate()
            let elements = Array(extensions)
            #expect(elements.map(\.id) == [2, 4, 9])
            #expect(Array(raw[elements[0].range]) == [0x1B, 0x68, 0xB6])  // abs-send-time
            #expect(Array(raw[elements[1].range]) == [0x00, 0x09])  // transport-wide sequence 9
            #expect(Array(raw[elements[2].range]) == Array("0".utf8))  // mid
            #expect(extensions.element(id: 4) == elements[1].range)
            #expect(extensions.element(id: 5) == nil)
        }
    }

    @Test func parsesChromeOpusPacketWithAudioLevel() throws {
        let bytes = try Fixture.bytes("chrome-rtp-opus")
        let header = try RtpHeader.parse(bytes)
        #expect(header.payloadType == 111)
        #expect(header.sequenceNumber == 5800)
        #expect(header.timestamp == 1_221_159_844)
        #expect(header.ssrc == 0x637A_1A7D)
        #expect(header.payloadRange.count == 60)
        #expect(bytes[header.payloadRange.lowerBound] == 0x78)  // Opus TOC
        bytes.withUnsafeBytes { raw in
            let extensions = header.extensions(in: raw)
            #expect(extensions.map(\.id) == [2, 4, 9, 14])
            let level = extensions.element(id: 14).map { raw[$0.lowerBound] }
            #expect(level == 0xB1)  // voice activity set, 49 -dBov (RFC 6464)
        }
    }

    @Test func capturedPacketsRoundTripThroughTheBuilder() throws {
        for name in ["chrome-rtp-vp8-keyframe", "chrome-rtp-opus"] {
            let bytes = try Fixture.bytes(name)
            let packet = try RtpPacket(parsing: bytes)
            // Chrome pads the one-byte block to a word with zero bytes, as the builder does.
            #expect(try packet.bytes() == bytes, "\(name)")
        }
    }

    @Test func parsesCsrcsAndPadding() throws {
        let packet = RtpPacket(
            marker: true, payloadType: 100, sequenceNumber: 65535, timestamp: 0xFFFF_FFFF,
            ssrc: 1, csrcs: [0xAAAA_AAAA, 0xBBBB_BBBB], payload: [1, 2, 3], paddingLength: 5)
        let bytes = try packet.bytes()
        #expect(bytes.count == 12 + 8 + 3 + 5)
        #expect(bytes[0] == 0xA2)  // V=2, P=1, X=0, CC=2
        #expect(bytes.last == 5)
        let header = try RtpHeader.parse(bytes)
        #expect(header.marker)
        #expect(header.csrcCount == 2)
        #expect(header.payloadRange == 20..<23)
        #expect(header.paddingLength == 5)
        bytes.withUnsafeBytes { raw in
            #expect(header.csrc(0, in: raw) == 0xAAAA_AAAA)
            #expect(header.csrc(1, in: raw) == 0xBBBB_BBBB)
        }
        #expect(try RtpPacket(parsing: bytes) == packet)
    }

    @Test func twoByteExtensionsRoundTrip() throws {
        let packet = RtpPacket(
            payloadType: 96, sequenceNumber: 7, timestamp: 8, ssrc: 9,
            extensions: [.init(id: 1, data: []), .init(id: 20, data: Array(repeating: 0x42, count: 17))],
            payload: [0xFF])
        let bytes = try packet.bytes()
        let header = try RtpHeader.parse(bytes)
        #expect(header.extensionProfile == 0x1000)
        #expect(try RtpPacket(parsing: bytes) == packet)
    }

    @Test func rewriteChangesOnlyTheForwardedFields() throws {
        var bytes = try Fixture.bytes("chrome-rtp-opus")
        let original = bytes
        bytes.withUnsafeMutableBytes { raw in
            RtpHeader.rewrite(raw, payloadType: 109, sequenceNumber: 1, timestamp: 2, ssrc: 3)
        }
        let header = try RtpHeader.parse(bytes)
        #expect(header.payloadType == 109)
        #expect(header.sequenceNumber == 1)
        #expect(header.timestamp == 2)
        #expect(header.ssrc == 3)
        #expect(header.marker == false)
        #expect(bytes[0] == original[0])
        #expect(bytes[12...] == original[12...])
    }

    static let malformed: [(String, [UInt8], RtpParseError)] = [
        ("empty", [], .truncated(length: 0)),
        ("shorter than the fixed header", [0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0], .truncated(length: 11)),
        ("version 1", [0x40] + [UInt8](repeating: 0, count: 11), .badVersion(1)),
        ("version 0 (STUN-like)", [UInt8](repeating: 0, count: 20), .badVersion(0)),
        ("CSRC list past the end", [0x83] + [UInt8](repeating: 0, count: 19), .csrcListPastEnd),
        ("extension header past the end", [0x90] + [UInt8](repeating: 0, count: 13), .extensionHeaderPastEnd),
        ("extension length overflow",
         [0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0x00, 0x02, 0x10, 0xAA, 0, 0], .extensionLengthOverflow),
        ("zero padding count", [0xA0] + [UInt8](repeating: 0, count: 13), .zeroPaddingLength),
        ("padding longer than the payload",
         [0xA0, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xAA, 3], .paddingLongerThanPayload(padding: 3, available: 2)),
    ]

    @Test(arguments: malformed.indices)
    func malformedPacketsGiveTheirOwnError(index: Int) {
        let (name, bytes, expected) = Self.malformed[index]
        #expect(throws: expected, "\(name)") { try RtpHeader.parse(bytes) }
    }

    @Test func malformedExtensionElementIsReported() throws {
        // One-byte element id 1 claims 4 bytes but only 2 remain in the block.
        let bytes: [UInt8] = [0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xBE, 0xDE, 0x00, 0x01, 0x13, 0xAA, 0xBB, 0xCC]
        let header = try RtpHeader.parse(bytes)
        bytes.withUnsafeBytes { raw in
            #expect(throws: RtpParseError.extensionElementPastEnd(id: 1)) { try header.extensions(in: raw).validate() }
            #expect(Array(header.extensions(in: raw)).isEmpty)
        }
        #expect(throws: RtpParseError.extensionElementPastEnd(id: 1)) { try RtpPacket(parsing: bytes) }
    }

    @Test func randomAndMutatedInputNeverTraps() throws {
        var generator = SystemRandomNumberGenerator()
        let seeds = [try Fixture.bytes("chrome-rtp-vp8-keyframe"), try Fixture.bytes("chrome-rtp-opus")]
        var parsed = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0..<64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if !bytes.isEmpty { bytes[0] = 0x80 | (bytes[0] & 0x3F) }
            } else {
                bytes = seeds[round % 4 == 1 ? 0 : 1]
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    bytes[Int.random(in: 0..<min(bytes.count, 40), using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                bytes.removeLast(Int.random(in: 0..<bytes.count, using: &generator))
            }
            if let header = try? RtpHeader.parse(bytes) {
                parsed += 1
                #expect(header.payloadRange.upperBound <= bytes.count)
                #expect(header.extensionRange.upperBound <= header.payloadRange.lowerBound)
                bytes.withUnsafeBytes { raw in
                    for element in header.extensions(in: raw) {
                        #expect(element.range.upperBound <= header.extensionRange.upperBound)
                    }
                }
            }
        }
        #expect(parsed > 0)
    }
}
