/// What an H.264 RTP payload carries (RFC 6184 §5, non-interleaved mode): its packet type and
/// the types of the NAL units that start in it. A forwarder reads it to find the packet from
/// which a receiver can start decoding.
///
/// Every payload starts with a NAL unit header (RFC 6184 §5.3) whose type selects the packet
/// type (§5.2, Table 1):
///
///      +---------------+
///      |0|1|2|3|4|5|6|7|
///      +-+-+-+-+-+-+-+-+
///      |F|NRI|  Type   |
///      +---------------+
///
/// Types 1...23 are a single NAL unit (§5.6); 24 is STAP-A (§5.7.1), a list of NAL units each
/// preceded by its 16-bit size; 28 is FU-A (§5.8), one fragment of a NAL unit, whose second
/// octet is the FU header:
///
///      +---------------+
///      |0|1|2|3|4|5|6|7|
///      +-+-+-+-+-+-+-+-+
///      |S|E|R|  Type   |
///      +---------------+
public struct H264Payload: Equatable, Sendable {
    /// NAL unit types this helper names (ITU-T H.264 Table 7-1, RFC 6184 Table 3).
    public static let idrSliceType: UInt8 = 5
    public static let sequenceParameterSetType: UInt8 = 7
    public static let pictureParameterSetType: UInt8 = 8
    public static let singleTimeAggregationType: UInt8 = 24
    public static let fragmentationUnitType: UInt8 = 28

    /// How the NAL units are packed into the payload.
    public enum PacketType: Equatable, Sendable {
        /// One whole NAL unit (types 1...23).
        case singleNalUnit
        /// STAP-A: several whole NAL units.
        case aggregation
        /// FU-A: one fragment of a NAL unit; the first and last fragments are flagged.
        case fragment(isStart: Bool, isEnd: Bool, nalUnitType: UInt8)
    }

    /// A set of NAL unit types (0...31) kept in one word, so reporting them allocates nothing.
    public struct NalUnitTypes: Sequence, ExpressibleByArrayLiteral, Equatable, Sendable {
        public private(set) var bits: UInt32

        public init() { bits = 0 }

        public init(arrayLiteral types: UInt8...) {
            self.init()
            for type in types { insert(type) }
        }

        public var isEmpty: Bool { bits == 0 }

        public func contains(_ type: UInt8) -> Bool {
            type < 32 && bits & (1 << UInt32(type)) != 0
        }

        public mutating func insert(_ type: UInt8) {
            guard type < 32 else { return }
            bits |= 1 << UInt32(type)
        }

        /// Yields the types in increasing order.
        public struct Iterator: IteratorProtocol {
            var remaining: UInt32

            public mutating func next() -> UInt8? {
                guard remaining != 0 else { return nil }
                let type = UInt8(remaining.trailingZeroBitCount)
                remaining &= remaining - 1
                return type
            }
        }

        public func makeIterator() -> Iterator { Iterator(remaining: bits) }
    }

    public var packetType: PacketType
    /// The types of the NAL units that start in this payload: none for an FU-A fragment that is
    /// not the first.
    public var nalUnitTypes: NalUnitTypes
    /// How many NAL units start in this payload.
    public var nalUnitCount: Int

    public init(packetType: PacketType, nalUnitTypes: NalUnitTypes, nalUnitCount: Int) {
        self.packetType = packetType
        self.nalUnitTypes = nalUnitTypes
        self.nalUnitCount = nalUnitCount
    }

    /// An IDR slice starts here.
    public var containsIdr: Bool { nalUnitTypes.contains(Self.idrSliceType) }
    /// A sequence parameter set starts here.
    public var containsSps: Bool { nalUnitTypes.contains(Self.sequenceParameterSetType) }
    /// A picture parameter set starts here.
    public var containsPps: Bool { nalUnitTypes.contains(Self.pictureParameterSetType) }

    /// Whether a receiver can start decoding from this packet: it starts an IDR slice, or the
    /// SPS that encoders send just before one (browsers put SPS, PPS and often the IDR in one
    /// STAP-A), so a forwarder waiting for a key frame can start at the parameter sets.
    public var isKeyframe: Bool { containsIdr || containsSps }

    /// Parses an H.264 RTP payload, checking every size against the buffer.
    public static func parse(_ payload: UnsafeRawBufferPointer) throws(H264ParseError)
        -> H264Payload
    {
        let length = payload.count
        guard length >= 1 else { throw .emptyPayload }
        let type = payload[0] & 0x1F
        switch type {
        case 1...23:
            return H264Payload(packetType: .singleNalUnit, nalUnitTypes: [type], nalUnitCount: 1)
        case singleTimeAggregationType:
            return try parseAggregation(payload)
        case fragmentationUnitType:
            guard length >= 2 else { throw .truncatedFragmentHeader }
            let header = payload[1]
            let isStart = header & 0x80 != 0
            let isEnd = header & 0x40 != 0
            let innerType = header & 0x1F
            guard !(isStart && isEnd) else { throw .fragmentStartAndEnd }
            guard (1...23).contains(innerType) else {
                throw .invalidFragmentedNalUnitType(innerType)
            }
            return H264Payload(
                packetType: .fragment(isStart: isStart, isEnd: isEnd, nalUnitType: innerType),
                nalUnitTypes: isStart ? [innerType] : [], nalUnitCount: isStart ? 1 : 0)
        case 25, 26, 27, 29:
            throw .unsupportedPacketType(type)
        default:
            throw .undefinedNalUnitType(type)
        }
    }

    /// Where a sequence parameter set lies in a payload: the whole payload when it is a single
    /// NAL unit, or one of a STAP-A's; nil when there is none whole (a fragment is not read).
    public static func sequenceParameterSet(in payload: UnsafeRawBufferPointer) -> Range<Int>? {
        guard let first = payload.first else { return nil }
        switch first & 0x1F {
        case sequenceParameterSetType:
            return 0..<payload.count
        case singleTimeAggregationType:
            var offset = 1
            while offset + 2 <= payload.count {
                let size = Int(payload.u16(at: offset))
                offset += 2
                guard size > 0, size <= payload.count - offset else { return nil }
                if payload[offset] & 0x1F == sequenceParameterSetType { return offset..<(offset + size) }
                offset += size
            }
            return nil
        default:
            return nil
        }
    }

    /// Parses an H.264 RTP payload held in an array.
    public static func parse(_ payload: [UInt8]) throws(H264ParseError) -> H264Payload {
        let result: Result<H264Payload, H264ParseError> = payload.withUnsafeBytes { raw in
            do throws(H264ParseError) { return .success(try parse(raw)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Walks a STAP-A (RFC 6184 §5.7.1): after the STAP-A header, each NAL unit is preceded by
    /// its size in 16 bits, up to the end of the payload.
    static func parseAggregation(_ payload: UnsafeRawBufferPointer) throws(H264ParseError)
        -> H264Payload
    {
        let length = payload.count
        var types = NalUnitTypes()
        var count = 0
        var offset = 1
        guard offset < length else { throw .emptyAggregation }
        while offset < length {
            guard offset + 2 <= length else { throw .truncatedAggregationSize }
            let size = Int(payload.u16(at: offset))
            offset += 2
            guard size > 0 else { throw .emptyAggregatedNalUnit }
            guard size <= length - offset else {
                throw .aggregatedNalUnitPastEnd(size: size, available: length - offset)
            }
            let type = payload[offset] & 0x1F
            guard (1...23).contains(type) else { throw .invalidAggregatedNalUnitType(type) }
            types.insert(type)
            count += 1
            offset += size
        }
        return H264Payload(packetType: .aggregation, nalUnitTypes: types, nalUnitCount: count)
    }
}
