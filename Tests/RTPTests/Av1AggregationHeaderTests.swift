import Testing
@testable import RTP

@Suite struct Av1AggregationHeaderTests {
    static func parse(_ bytes: [UInt8]) throws -> Av1AggregationHeader {
        try bytes.withUnsafeBytes { try Av1AggregationHeader.parse($0) }
    }

    @Test func theFirstPacketOfACodedVideoSequenceStartsAKeyframe() throws {
        // N=1, W=2: a sequence header OBU (type 1) and the first fragment of a frame OBU.
        let header = try Self.parse([0b0010_1000, 0b0000_1000, 0x00, 0b0011_0000, 0x10])
        #expect(header.startsCodedVideoSequence && header.startsKeyframe)
        #expect(header.obuElementCount == 2)
        #expect(!header.continuesObu && !header.obuContinues)
    }

    @Test func aDeltaFrameAndAContinuedOBUStartNoKeyframe() throws {
        // W=1: one frame OBU (type 6) of a delta frame.
        let delta = try Self.parse([0b0001_0000, 0b0011_0000, 0x42])
        #expect(!delta.startsKeyframe)
        #expect(delta.obuElementCount == 1)
        // Z=1, Y=1, W=0: the middle of a large key frame's OBU.
        let middle = try Self.parse([0b1100_0000, 0x07, 0x99])
        #expect(middle.continuesObu && middle.obuContinues)
        #expect(!middle.startsKeyframe)
    }

    @Test func malformedHeadersAreErrors() {
        #expect(throws: Av1ParseError.emptyPayload) { try Self.parse([]) }
        #expect(throws: Av1ParseError.sequenceStartInsideObu) { try Self.parse([0b1000_1000, 0x00]) }
    }
}
