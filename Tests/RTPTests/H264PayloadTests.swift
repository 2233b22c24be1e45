import Testing
@testable import RTP

@Suite struct H264PayloadTests {
    /// NAL units as an encoder starts an access unit (header octet first; the rest is filler
    /// for the parser, which reads only headers and sizes).
    static let sps: [UInt8] = [0x67, 0x42, 0xC0, 0x1F, 0x8C, 0x8D, 0x40]  // NRI=3, type 7
    static let pps: [UInt8] = [0x68, 0xCE, 0x3C, 0x80]  // NRI=3, type 8
    static let idrSlice: [UInt8] = [0x65, 0x88, 0x84, 0x00, 0x33]  // NRI=3, type 5
    static let slice: [UInt8] = [0x41, 0x9A, 0x02, 0x04]  // NRI=2, type 1
    static let sei: [UInt8] = [0x06, 0x05, 0x10]  // NRI=0, type 6

    /// A STAP-A (RFC 6184 §5.7.1): header with type 24, then each unit after its 16-bit size.
    static func aggregation(_ units: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = [0x78]  // F=0, NRI=3, type 24
        for unit in units {
            bytes.append(UInt8(unit.count >> 8))
            bytes.append(UInt8(unit.count & 0xFF))
            bytes += unit
        }
        return bytes
    }

    @Test func singleNalUnits() throws {
        let idr = try H264Payload.parse(Self.idrSlice)
        #expect(idr == H264Payload(packetType: .singleNalUnit, nalUnitTypes: [5], nalUnitCount: 1))
        #expect(idr.containsIdr)
        #expect(idr.isKeyframe)

        let slice = try H264Payload.parse(Self.slice)
        #expect(Array(slice.nalUnitTypes) == [1])
        #expect(!slice.isKeyframe)

        let sps = try H264Payload.parse(Self.sps)
        #expect(sps.containsSps)
        #expect(!sps.containsIdr)
        #expect(sps.isKeyframe)

        let pps = try H264Payload.parse(Self.pps)
        #expect(pps.containsPps)
        #expect(!pps.isKeyframe)

        // The highest single NAL unit type.
        #expect(try H264Payload.parse([0x17]).nalUnitTypes == [23])
    }

    @Test func aggregationReportsEveryUnit() throws {
        let parameterSets = try H264Payload.parse(Self.aggregation([Self.sps, Self.pps]))
        #expect(parameterSets.packetType == .aggregation)
        #expect(Array(parameterSets.nalUnitTypes) == [7, 8])
        #expect(parameterSets.nalUnitCount == 2)
        #expect(parameterSets.containsSps && parameterSets.containsPps)
        #expect(parameterSets.isKeyframe)

        let accessUnit = try H264Payload.parse(Self.aggregation([Self.sps, Self.pps, Self.idrSlice]))
        #expect(Array(accessUnit.nalUnitTypes) == [5, 7, 8])
        #expect(accessUnit.nalUnitCount == 3)
        #expect(accessUnit.containsIdr)

        let interFrame = try H264Payload.parse(Self.aggregation([Self.sei, Self.slice, Self.slice]))
        #expect(Array(interFrame.nalUnitTypes) == [1, 6])
        #expect(interFrame.nalUnitCount == 3)
        #expect(!interFrame.isKeyframe)
    }

    @Test func fragmentsReportTheTypeWhereTheUnitStarts() throws {
        // FU indicator NRI=3 type 28; FU header S=1 type 5.
        let start = try H264Payload.parse([0x7C, 0x85, 0xB8, 0x00, 0x04])
        #expect(start.packetType == .fragment(isStart: true, isEnd: false, nalUnitType: 5))
        #expect(start.nalUnitTypes == [5])
        #expect(start.nalUnitCount == 1)
        #expect(start.isKeyframe)

        // Middle and end fragments of the same IDR slice: nothing starts here.
        let middle = try H264Payload.parse([0x7C, 0x05, 0x11, 0x22])
        #expect(middle.packetType == .fragment(isStart: false, isEnd: false, nalUnitType: 5))
        #expect(middle.nalUnitTypes.isEmpty)
        #expect(middle.nalUnitCount == 0)
        #expect(!middle.isKeyframe)
        let end = try H264Payload.parse([0x7C, 0x45, 0x33])
        #expect(end.packetType == .fragment(isStart: false, isEnd: true, nalUnitType: 5))
        #expect(!end.isKeyframe)

        // The first fragment of a non-IDR slice.
        let interStart = try H264Payload.parse([0x5C, 0x81, 0x9A])
        #expect(interStart.nalUnitTypes == [1])
        #expect(!interStart.isKeyframe)

        // RFC 6184 §5.8 lets an FU payload be empty.
        #expect(try H264Payload.parse([0x7C, 0x85]).isKeyframe)
    }

    @Test func nalUnitTypeSetKeepsTypesInOrder() {
        var types: H264Payload.NalUnitTypes = [8, 1, 31, 0]
        types.insert(7)
        types.insert(40)
        #expect(Array(types) == [0, 1, 7, 8, 31])
        #expect(types.contains(31))
        #expect(!types.contains(40))
        #expect(!types.contains(5))
    }

    static let malformed: [(String, [UInt8], H264ParseError)] = [
        ("empty", [], .emptyPayload),
        ("type 0", [0x00, 0x01], .undefinedNalUnitType(0)),
        ("type 30", [0x7E, 0x01], .undefinedNalUnitType(30)),
        ("type 31", [0x1F], .undefinedNalUnitType(31)),
        ("STAP-B", [0x19, 0x00, 0x00], .unsupportedPacketType(25)),
        ("MTAP16", [0x1A, 0x00], .unsupportedPacketType(26)),
        ("MTAP24", [0x1B, 0x00], .unsupportedPacketType(27)),
        ("FU-B", [0x1D, 0x85, 0x00, 0x00], .unsupportedPacketType(29)),
        ("STAP-A header only", [0x78], .emptyAggregation),
        ("STAP-A size cut short", [0x78, 0x00], .truncatedAggregationSize),
        ("second size cut short", [0x78, 0x00, 0x04, 0x68, 0xCE, 0x3C, 0x80, 0x00], .truncatedAggregationSize),
        ("zero size", [0x78, 0x00, 0x00, 0x67], .emptyAggregatedNalUnit),
        ("size past the end", [0x78, 0x00, 0x05, 0x67, 0x42], .aggregatedNalUnitPastEnd(size: 5, available: 2)),
        ("size far past the end", [0x78, 0xFF, 0xFF, 0x67], .aggregatedNalUnitPastEnd(size: 65535, available: 1)),
        ("nested STAP-A", [0x78, 0x00, 0x01, 0x78], .invalidAggregatedNalUnitType(24)),
        ("aggregated type 0", [0x78, 0x00, 0x01, 0x00], .invalidAggregatedNalUnitType(0)),
        ("FU-A without FU header", [0x7C], .truncatedFragmentHeader),
        ("FU-A start and end", [0x7C, 0xC5, 0x00], .fragmentStartAndEnd),
        ("FU-A of an FU-A", [0x7C, 0x9C, 0x00], .invalidFragmentedNalUnitType(28)),
        ("FU-A of type 0", [0x7C, 0x80, 0x00], .invalidFragmentedNalUnitType(0)),
    ]

    @Test(arguments: malformed.indices)
    func malformedPayloadsGiveTheirOwnError(index: Int) {
        let (name, bytes, expected) = Self.malformed[index]
        #expect(throws: expected, "\(name)") { try H264Payload.parse(bytes) }
    }

    @Test func randomAndMutatedInputNeverTraps() throws {
        var generator = MutationGenerator(seed: 0x4832_3634)
        let seeds = [
            Self.aggregation([Self.sps, Self.pps, Self.idrSlice]),
            Self.aggregation([Self.sei, Self.slice]),
            [0x7C, 0x85, 0xB8, 0x00, 0x04],
        ]
        var parsed = 0
        for round in 0..<20_000 {
            var bytes =
                round % 2 == 0
                ? generator.bytes(maximumLength: 24)
                : generator.mutate(seeds[(round / 2) % seeds.count], window: 24)
            // Random first bytes are mostly single NAL units; steer half of them to STAP-A.
            if round % 4 == 0, !bytes.isEmpty { bytes[0] = 0x78 }
            guard let payload = try? H264Payload.parse(bytes) else { continue }
            parsed += 1
            #expect(payload.nalUnitCount <= bytes.count)
            #expect(payload.nalUnitTypes.allSatisfy { (1...23).contains($0) })
            #expect(payload.isKeyframe == (payload.containsIdr || payload.containsSps))
        }
        #expect(parsed > 1_000)
    }
}
