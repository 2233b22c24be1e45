import Testing
@testable import RTP

@Suite struct Vp8PayloadDescriptorTests {
    /// The VP8 payload of the captured Chrome keyframe packet (see the fixture's .md).
    static func chromeKeyframePayload() throws -> [UInt8] {
        let packet = try Fixture.bytes("chrome-rtp-vp8-keyframe")
        let header = try RtpHeader.parse(packet)
        return Array(packet[header.payloadRange])
    }

    @Test func parsesChromeKeyframeDescriptor() throws {
        let payload = try Self.chromeKeyframePayload()
        // 90 80 d2 1c: X=1 S=1 PID=0; I=1; M=1, PictureID 0x521c.
        #expect(Array(payload.prefix(10)) == [0x90, 0x80, 0xD2, 0x1C, 0xD0, 0x3C, 0x00, 0x9D, 0x01, 0x2A])
        let descriptor = try Vp8PayloadDescriptor.parse(payload)
        #expect(!descriptor.isNonReference)
        #expect(descriptor.isStartOfPartition)
        #expect(descriptor.partitionIndex == 0)
        #expect(descriptor.pictureID == 21020)
        #expect(descriptor.hasLongPictureID)
        #expect(descriptor.tl0PictureIndex == nil)
        #expect(descriptor.temporalLayerID == nil)
        #expect(descriptor.keyIndex == nil)
        #expect(descriptor.payloadOffset == 4)
        // RFC 6386 §9.1: a key frame's 3-byte frame tag is followed by the start code 9d 01 2a.
        #expect(Array(payload[descriptor.payloadOffset + 3..<descriptor.payloadOffset + 6]) == [0x9D, 0x01, 0x2A])
        payload.withUnsafeBytes { raw in #expect(descriptor.startsKeyframe(in: raw)) }
        #expect(try Vp8PayloadDescriptor.isKeyframe(payload))
    }

    @Test func parsesEveryOptionalField() throws {
        // X=1 N=1 S=0 PID=3 | I L T K | M=1 PictureID 0x1234 | TL0PICIDX 0x56 |
        // TID=2 Y=1 KEYIDX=17 | VP8 data (P=1: an inter frame).
        let payload: [UInt8] = [0xA3, 0xF0, 0x92, 0x34, 0x56, 0xB1, 0x31, 0x02, 0x00]
        let descriptor = try Vp8PayloadDescriptor.parse(payload)
        #expect(descriptor == Vp8PayloadDescriptor(
            isNonReference: true, isStartOfPartition: false, partitionIndex: 3, pictureID: 0x1234,
            hasLongPictureID: true, tl0PictureIndex: 0x56, temporalLayerID: 2, isLayerSync: true,
            keyIndex: 17, payloadOffset: 6))
        #expect(try !Vp8PayloadDescriptor.isKeyframe(payload))
    }

    @Test func parsesShortPictureIDAndSingleFlags() throws {
        // I=1, 7-bit PictureID 127.
        let short = try Vp8PayloadDescriptor.parse([0x90, 0x80, 0x7F, 0x00])
        #expect(short.pictureID == 127)
        #expect(!short.hasLongPictureID)
        #expect(short.payloadOffset == 3)

        // K=1 only: the octet carries KEYIDX 31; TID and Y are not present.
        let keyIndexOnly = try Vp8PayloadDescriptor.parse([0x90, 0x10, 0xFF, 0x00])
        #expect(keyIndexOnly.keyIndex == 31)
        #expect(keyIndexOnly.temporalLayerID == nil)
        #expect(!keyIndexOnly.isLayerSync)
        #expect(keyIndexOnly.payloadOffset == 3)

        // T=1 only: TID 1, Y=0; KEYIDX bits are ignored.
        let temporalOnly = try Vp8PayloadDescriptor.parse([0x90, 0x20, 0x5F, 0x00])
        #expect(temporalOnly.temporalLayerID == 1)
        #expect(!temporalOnly.isLayerSync)
        #expect(temporalOnly.keyIndex == nil)

        // L=1 only.
        let tl0Only = try Vp8PayloadDescriptor.parse([0x90, 0x40, 0xAB, 0x00])
        #expect(tl0Only.tl0PictureIndex == 0xAB)
        #expect(tl0Only.pictureID == nil)
        #expect(tl0Only.payloadOffset == 3)

        // No extension at all: the one required octet, then the VP8 data.
        let minimal = try Vp8PayloadDescriptor.parse([0x10, 0x50, 0x2D, 0x01, 0x9D, 0x01, 0x2A])
        #expect(minimal == Vp8PayloadDescriptor(isStartOfPartition: true, payloadOffset: 1))
    }

    @Test func keyframeNeedsStartOfFirstPartitionAndClearPBit() throws {
        // S=1, PID=0, frame tag P=0.
        #expect(try Vp8PayloadDescriptor.isKeyframe([0x10, 0x50, 0x2D, 0x01, 0x9D, 0x01, 0x2A]))
        // P=1: an inter frame.
        #expect(try !Vp8PayloadDescriptor.isKeyframe([0x10, 0x51, 0x2D, 0x01]))
        // S=0: a continuation packet, whose first byte is not a frame tag.
        #expect(try !Vp8PayloadDescriptor.isKeyframe([0x00, 0x50, 0x2D, 0x01]))
        // S=1 but PID=1: the start of a later partition.
        #expect(try !Vp8PayloadDescriptor.isKeyframe([0x11, 0x50, 0x2D, 0x01]))
    }

    static let malformed: [(String, [UInt8], Vp8ParseError)] = [
        ("empty", [], .emptyPayload),
        ("X=1 without the extension octet", [0x80], .truncatedExtension),
        ("I=1 without the PictureID", [0x80, 0x80], .truncatedPictureID),
        ("M=1 with only one PictureID octet", [0x80, 0x80, 0x80], .truncatedPictureID),
        ("L=1 without TL0PICIDX", [0x80, 0x40], .truncatedTl0PictureIndex),
        ("PictureID then no TL0PICIDX", [0x80, 0xC0, 0x05], .truncatedTl0PictureIndex),
        ("T=1 without the TID octet", [0x80, 0x20], .truncatedTemporalLayerOctet),
        ("K=1 without the KEYIDX octet", [0x80, 0x10], .truncatedTemporalLayerOctet),
        ("all fields, octet missing", [0x80, 0xF0, 0x92, 0x34, 0x56], .truncatedTemporalLayerOctet),
        ("required octet only", [0x10], .noFrameData),
        ("empty extension, no data", [0x80, 0x00], .noFrameData),
        ("all fields, no data", [0x80, 0xF0, 0x92, 0x34, 0x56, 0xB1], .noFrameData),
    ]

    @Test(arguments: malformed.indices)
    func malformedDescriptorsGiveTheirOwnError(index: Int) {
        let (name, bytes, expected) = Self.malformed[index]
        #expect(throws: expected, "\(name)") { try Vp8PayloadDescriptor.parse(bytes) }
        #expect(throws: expected, "\(name)") { try Vp8PayloadDescriptor.isKeyframe(bytes) }
    }

    @Test func rewritesLongPictureIDAndTl0PictureIndexInPlace() throws {
        var payload: [UInt8] = [0xA3, 0xF0, 0x92, 0x34, 0x56, 0xB1, 0x31, 0x02, 0x00]
        var descriptor = try Vp8PayloadDescriptor.parse(payload)
        payload.withUnsafeMutableBytes { raw in
            descriptor.rewrite(pictureID: 0xFABC, tl0PictureIndex: 0x99, in: raw)
        }
        // The value is cut to 15 bits and the M bit kept.
        #expect(payload == [0xA3, 0xF0, 0xFA, 0xBC, 0x99, 0xB1, 0x31, 0x02, 0x00])
        #expect(descriptor.pictureID == 0x7ABC)
        #expect(descriptor.tl0PictureIndex == 0x99)
        #expect(try Vp8PayloadDescriptor.parse(payload) == descriptor)
    }

    @Test func rewritesShortPictureIDWithinSevenBits() throws {
        var payload: [UInt8] = [0x90, 0xC0, 0x05, 0x10, 0x9D]
        var descriptor = try Vp8PayloadDescriptor.parse(payload)
        payload.withUnsafeMutableBytes { raw in
            descriptor.rewrite(pictureID: 200, tl0PictureIndex: 0x11, in: raw)
        }
        #expect(payload == [0x90, 0xC0, 200 & 0x7F, 0x11, 0x9D])
        #expect(descriptor.pictureID == 72)
        #expect(try Vp8PayloadDescriptor.parse(payload) == descriptor)
    }

    @Test func rewriteLeavesAbsentOrUnrequestedFieldsAlone() throws {
        // No PictureID, no TL0PICIDX: nothing to write.
        var bare: [UInt8] = [0x10, 0x50, 0x2D, 0x01]
        var bareDescriptor = try Vp8PayloadDescriptor.parse(bare)
        bare.withUnsafeMutableBytes { raw in
            bareDescriptor.rewrite(pictureID: 5, tl0PictureIndex: 6, in: raw)
        }
        #expect(bare == [0x10, 0x50, 0x2D, 0x01])
        #expect(bareDescriptor.pictureID == nil)

        // Only the PictureID asked for: TL0PICIDX keeps its value.
        var payload = try Self.chromeKeyframePayload()
        let original = payload
        var descriptor = try Vp8PayloadDescriptor.parse(payload)
        payload.withUnsafeMutableBytes { raw in
            descriptor.rewrite(pictureID: 1, tl0PictureIndex: nil, in: raw)
        }
        #expect(payload[2...3] == [0x80, 0x01])
        #expect(payload[..<2] == original[..<2])
        #expect(payload[4...] == original[4...])
        #expect(try Vp8PayloadDescriptor.isKeyframe(payload))
    }

    @Test func randomAndMutatedInputNeverTraps() throws {
        var generator = MutationGenerator(seed: 0x5650_3801)
        let seeds = [
            try Self.chromeKeyframePayload(),
            [0xA3, 0xF0, 0x92, 0x34, 0x56, 0xB1, 0x31, 0x02, 0x00],
        ]
        var parsed = 0
        for round in 0..<20_000 {
            var bytes =
                round % 2 == 0
                ? generator.bytes(maximumLength: 12)
                : generator.mutate(seeds[round % 4 == 1 ? 0 : 1], window: 8)
            guard let descriptor = try? Vp8PayloadDescriptor.parse(bytes) else { continue }
            parsed += 1
            #expect(descriptor.payloadOffset < bytes.count)
            #expect(descriptor.partitionIndex <= 7)
            var rewritten = descriptor
            let pictureID = UInt16.random(in: 0...UInt16.max, using: &generator)
            let tl0 = UInt8.random(in: 0...255, using: &generator)
            bytes.withUnsafeMutableBytes { raw in
                rewritten.rewrite(pictureID: pictureID, tl0PictureIndex: tl0, in: raw)
            }
            #expect(try Vp8PayloadDescriptor.parse(bytes) == rewritten)
        }
        #expect(parsed > 1_000)
    }
}
