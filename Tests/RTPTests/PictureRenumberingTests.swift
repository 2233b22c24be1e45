import Testing
@testable import RTP

@Suite struct PictureRenumberingTests {
    /// A payload with X, I (15-bit PictureID when `long`) and L set, then one byte of VP8 data.
    static func payload(pictureID: UInt16, tl0: UInt8, long: Bool = true) -> [UInt8] {
        let picture: [UInt8] = long ? [0x80 | UInt8(pictureID >> 8), UInt8(pictureID & 0xFF)] : [UInt8(pictureID & 0x7F)]
        return [0x90, 0xC0] + picture + [tl0, 0x00]
    }

    static func renumber(_ renumbering: inout PictureRenumbering, _ payload: [UInt8], startsSource: Bool) throws -> (UInt16, UInt8) {
        var bytes = payload
        bytes.withUnsafeMutableBytes { renumbering.rewrite($0, startsSource: startsSource) }
        let descriptor = try Vp8PayloadDescriptor.parse(bytes)
        return (try #require(descriptor.pictureID), try #require(descriptor.tl0PictureIndex))
    }

    @Test func theFirstSourceKeepsItsNumbersAndTheNextContinuesThem() throws {
        var renumbering = PictureRenumbering(format: .vp8)
        #expect(try Self.renumber(&renumbering, Self.payload(pictureID: 32_766, tl0: 254), startsSource: true) == (32_766, 254))
        #expect(try Self.renumber(&renumbering, Self.payload(pictureID: 32_767, tl0: 255), startsSource: false) == (32_767, 255))
        // Another layer, numbered on its own: it goes on from the last picture, wrapping.
        #expect(try Self.renumber(&renumbering, Self.payload(pictureID: 500, tl0: 9), startsSource: true) == (0, 0))
        #expect(try Self.renumber(&renumbering, Self.payload(pictureID: 501, tl0: 10), startsSource: false) == (1, 1))
        // A retransmission of an older picture keeps its number and does not move the mark.
        #expect(try Self.renumber(&renumbering, Self.payload(pictureID: 500, tl0: 9), startsSource: false) == (0, 0))
        #expect(try Self.renumber(&renumbering, Self.payload(pictureID: 7_000, tl0: 90), startsSource: true) == (2, 2))
    }

    @Test func sevenBitPictureIDsWrapAtTheirWidth() throws {
        var renumbering = PictureRenumbering(format: .vp8)
        #expect(try Self.renumber(&renumbering, Self.payload(pictureID: 127, tl0: 1, long: false), startsSource: true) == (127, 1))
        #expect(try Self.renumber(&renumbering, Self.payload(pictureID: 40, tl0: 1, long: false), startsSource: true) == (0, 2))
    }

    @Test func aKeyframeStatesItsPictureSize() throws {
        // RFC 6386 §9.1: frame tag (P=0), start code, 14-bit width and height with scale bits.
        let payload: [UInt8] = [0x10, 0x50, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x41]
        try payload.withUnsafeBytes { raw in
            let descriptor = try Vp8PayloadDescriptor.parse(raw)
            let size = try #require(descriptor.keyframeSize(in: raw))
            #expect(size.width == 640 && size.height == 480)
        }
        let interframe: [UInt8] = [0x10, 0x51, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01]
        let descriptor = try Vp8PayloadDescriptor.parse(interframe)
        interframe.withUnsafeBytes { raw in #expect(descriptor.keyframeSize(in: raw) == nil) }
    }

    @Test func skippedPicturesAreClosedUpAndRetransmissionsKeepTheirNumbers() throws {
        var renumbering = PictureRenumbering(format: .vp8)
        #expect(try Self.renumber(&renumbering, Self.payload(pictureID: 32_766, tl0: 1), startsSource: true) == (32_766, 1))
        // 32767 and 1 (temporal layer 2) left out; 0 and 2 close up across the wrap.
        Self.payload(pictureID: 32_767, tl0: 1).withUnsafeBytes { renumbering.skip($0) }
        #expect(try Self.renumber(&renumbering, Self.payload(pictureID: 0, tl0: 2), startsSource: false) == (32_767, 2))
        Self.payload(pictureID: 1, tl0: 2).withUnsafeBytes { renumbering.skip($0) }
        #expect(try Self.renumber(&renumbering, Self.payload(pictureID: 2, tl0: 3), startsSource: false) == (0, 3))
        // A retransmitted packet of picture 0 keeps the number it went out with.
        #expect(try Self.renumber(&renumbering, Self.payload(pictureID: 0, tl0: 2), startsSource: false) == (32_767, 2))
        // A new source goes on from the last picture sent.
        #expect(try Self.renumber(&renumbering, Self.payload(pictureID: 900, tl0: 50), startsSource: true) == (1, 4))
    }

    /// A VP9 payload (RFC 9628 §4.2) with a 15-bit PictureID and the layer indices of temporal
    /// layer `tid`: non-flexible with TL0PICIDX when `tl0` is given, else flexible with `diffs`
    /// as its P_DIFFs; then one byte of VP9 data.
    static func vp9Payload(pictureID: UInt16, tid: UInt8 = 0, tl0: UInt8? = nil, diffs: [UInt8] = []) -> [UInt8] {
        let flexible = tl0 == nil
        let flags: UInt8 = 0x80 | (diffs.isEmpty ? 0 : 0x40) | 0x20 | (flexible ? 0x10 : 0) | 0x0C
        var payload: [UInt8] = [flags, 0x80 | UInt8(pictureID >> 8), UInt8(pictureID & 0xFF), tid << 5]
        if let tl0 { payload.append(tl0) }
        for (index, diff) in diffs.enumerated() { payload.append(diff << 1 | (index < diffs.count - 1 ? 1 : 0)) }
        return payload + [0x00]
    }

    static func renumberVp9(_ renumbering: inout PictureRenumbering, _ payload: [UInt8], startsSource: Bool) throws
        -> Vp9PayloadDescriptor
    {
        var bytes = payload
        bytes.withUnsafeMutableBytes { renumbering.rewrite($0, startsSource: startsSource) }
        let descriptor = try Vp9PayloadDescriptor.parse(bytes)
        #expect(bytes.last == 0x00 && descriptor.payloadOffset == bytes.count - 1, "the VP9 data is where it was")
        return descriptor
    }

    @Test func vp9PicturesContinueFromOneSourceToTheNext() throws {
        var renumbering = PictureRenumbering(format: .vp9)
        var descriptor = try Self.renumberVp9(&renumbering, Self.vp9Payload(pictureID: 500, tl0: 9), startsSource: true)
        #expect(descriptor.pictureID == 500 && descriptor.tl0PictureIndex == 9)
        descriptor = try Self.renumberVp9(&renumbering, Self.vp9Payload(pictureID: 501, tl0: 10), startsSource: false)
        #expect(descriptor.pictureID == 501 && descriptor.tl0PictureIndex == 10)
        // Another simulcast layer, numbered on its own, goes on from the last picture.
        descriptor = try Self.renumberVp9(&renumbering, Self.vp9Payload(pictureID: 7_000, tl0: 100), startsSource: true)
        #expect(descriptor.pictureID == 502 && descriptor.tl0PictureIndex == 11)
        descriptor = try Self.renumberVp9(&renumbering, Self.vp9Payload(pictureID: 7_001, tl0: 101), startsSource: false)
        #expect(descriptor.pictureID == 503 && descriptor.tl0PictureIndex == 12)
    }

    @Test func vp9ReferencesShortenByThePicturesClosedUp() throws {
        var renumbering = PictureRenumbering(format: .vp9)
        // L1T3 in flexible mode: 10 (T0), 11 (T2), 12 (T1), 13 (T2), 14 (T0); the T2 pictures left out.
        var descriptor = try Self.renumberVp9(&renumbering, Self.vp9Payload(pictureID: 10), startsSource: true)
        #expect(descriptor.pictureID == 10)
        Self.vp9Payload(pictureID: 11, tid: 2, diffs: [1]).withUnsafeBytes { renumbering.skip($0) }
        descriptor = try Self.renumberVp9(&renumbering, Self.vp9Payload(pictureID: 12, tid: 1, diffs: [2]), startsSource: false)
        #expect(descriptor.pictureID == 11 && Array(descriptor.referenceDiffs) == [1], "still picture 10")
        Self.vp9Payload(pictureID: 13, tid: 2, diffs: [1]).withUnsafeBytes { renumbering.skip($0) }
        // Two references, to 10 and 12: now 10 and 11, from 12.
        descriptor = try Self.renumberVp9(&renumbering, Self.vp9Payload(pictureID: 14, diffs: [4, 2]), startsSource: false)
        #expect(descriptor.pictureID == 12 && Array(descriptor.referenceDiffs) == [2, 1])
        // A retransmission of 12 is written as it first went.
        descriptor = try Self.renumberVp9(&renumbering, Self.vp9Payload(pictureID: 12, tid: 1, diffs: [2]), startsSource: false)
        #expect(descriptor.pictureID == 11 && Array(descriptor.referenceDiffs) == [1])
        // A packet of a picture left out is not rewritten.
        let skipped = Self.vp9Payload(pictureID: 13, tid: 2, diffs: [1])
        var bytes = skipped
        bytes.withUnsafeMutableBytes { renumbering.rewrite($0, startsSource: false) }
        #expect(bytes == skipped)
    }
}
