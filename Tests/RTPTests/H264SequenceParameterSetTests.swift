import Testing
@testable import RTP

/// Picture sizes from sequence parameter sets written by x264 (ffmpeg 5.1 with libx264,
/// `-profile:v P -x264-params ...`, one frame of `testsrc` at the size): each has emulation
/// prevention bytes, most a cropping (a height that is no multiple of 16).
@Suite struct H264SequenceParameterSetTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let what: String
        let hex: String
        let profile: UInt8
        let width: Int
        let height: Int

        var testDescription: String { what }
    }

    static let vectors = [
        Vector(what: "baseline 640x360", hex: "6742c016d900a02ff97011000003000100000300140f162e48", profile: 66, width: 640, height: 360),
        Vector(what: "baseline 320x180", hex: "6742c00bd901419f9f011000000300100000030140f142a480", profile: 66, width: 320, height: 180),
        Vector(what: "baseline 176x144, one reference", hex: "6742c00ada0b13b011000003000100000300140f1226a0", profile: 66,
               width: 176, height: 144),
        Vector(what: "main 480x270", hex: "674d4015eca0f047f58088000003000800000300a078b16cb0", profile: 77, width: 480, height: 270),
        Vector(what: "high 1280x720", hex: "6764001facd9405005bb011000000300100000030140f1831960", profile: 100, width: 1280, height: 720),
        Vector(what: "high 1920x1080", hex: "67640028acd940780227e5c044000003000400000300503c60c658", profile: 100, width: 1920,
               height: 1080),
        Vector(what: "high 640x360, cqm=jvt", hex: "67640016acd940a02ff97011000003000100000300140f162d96", profile: 100, width: 640,
               height: 360),
        Vector(what: "high 1920x1080 interlaced (field pairs)", hex: "67640028acd94078044fde022000000300200000030283e2c5b2c0",
               profile: 100, width: 1920, height: 1080),
        Vector(what: "high 4:4:4 240x135", hex: "67f4000b919b28789fc56022000003000200000300281e28532c", profile: 244, width: 240,
               height: 135),
    ]

    @Test(arguments: vectors)
    func statesThePictureSize(_ vector: Vector) throws {
        let parameters = try hexBytes(vector.hex).withUnsafeBytes { try H264SequenceParameterSet.parse($0) }
        #expect(parameters == H264SequenceParameterSet(profile: vector.profile, width: vector.width, height: vector.height))
    }

    @Test func anotherNalUnitOrACutOneIsAnError() throws {
        let pps: [UInt8] = [0x68, 0xCE, 0x3C, 0x80]
        #expect(throws: H264SequenceParameterSetError.notASequenceParameterSet(nalUnitType: 8)) {
            try pps.withUnsafeBytes { try H264SequenceParameterSet.parse($0) }
        }
        // Every prefix that stops before the cropping fields is refused, none traps.
        let full = hexBytes(Self.vectors[0].hex)
        for length in 0..<10 {
            #expect(throws: H264SequenceParameterSetError.self) {
                try Array(full.prefix(length)).withUnsafeBytes { try H264SequenceParameterSet.parse($0) }
            }
        }
    }

    @Test func anExpGolombCodeLongerThan32BitsIsOutOfRange() {
        // Baseline, then a seq_parameter_set_id of 32 zero bits.
        let bytes: [UInt8] = [0x67, 0x42, 0xC0, 0x1F, 0x00, 0x00, 0x03, 0x00, 0x00, 0x03, 0x00, 0x01]
        #expect(throws: H264SequenceParameterSetError.valueOutOfRange) {
            try bytes.withUnsafeBytes { try H264SequenceParameterSet.parse($0) }
        }
    }

    @Test func randomBytesNeverTrap() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var bytes = (0..<Int.random(in: 1...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            bytes[0] = 0x67
            _ = try? bytes.withUnsafeBytes { try H264SequenceParameterSet.parse($0) }
        }
    }

    @Test func theParameterSetIsFoundAloneOrInAnAggregation() {
        let sps = hexBytes(Self.vectors[1].hex)
        let stap = H264PayloadTests.aggregation([sps, H264PayloadTests.pps, H264PayloadTests.idrSlice])
        stap.withUnsafeBytes { #expect(H264Payload.sequenceParameterSet(in: $0) == 3..<(3 + sps.count)) }
        sps.withUnsafeBytes { #expect(H264Payload.sequenceParameterSet(in: $0) == 0..<sps.count) }
        let noSps = H264PayloadTests.aggregation([H264PayloadTests.pps, H264PayloadTests.idrSlice])
        noSps.withUnsafeBytes { #expect(H264Payload.sequenceParameterSet(in: $0) == nil) }
        H264PayloadTests.idrSlice.withUnsafeBytes { #expect(H264Payload.sequenceParameterSet(in: $0) == nil) }
    }
}
