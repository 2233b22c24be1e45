/// The aggregation header that starts every AV1 RTP payload (AV1 RTP Payload Format, §4.4):
///
///      0 1 2 3 4 5 6 7
///     +-+-+-+-+-+-+-+-+
///     |Z|Y| W |N|-|-|-|
///     +-+-+-+-+-+-+-+-+
///
/// Z: the first OBU element continues one begun in the previous packet; Y: the last one goes on
/// in the next; W: how many OBU elements the packet holds (0: each has a length field); N: the
/// packet is the first of a coded video sequence, which begins with a key frame.
public struct Av1AggregationHeader: Equatable, Sendable {
    public var continuesObu: Bool
    public var obuContinues: Bool
    public var obuElementCount: UInt8
    public var startsCodedVideoSequence: Bool

    public init(continuesObu: Bool, obuContinues: Bool, obuElementCount: UInt8, startsCodedVideoSequence: Bool) {
        self.continuesObu = continuesObu
        self.obuContinues = obuContinues
        self.obuElementCount = obuElementCount
        self.startsCodedVideoSequence = startsCodedVideoSequence
    }

    /// Reads the first byte of `payload`.
    public static func parse(_ payload: UnsafeRawBufferPointer) throws(Av1ParseError) -> Av1AggregationHeader {
        guard let byte = payload.first else { throw .emptyPayload }
        let header = Av1AggregationHeader(
            continuesObu: byte & 0x80 != 0, obuContinues: byte & 0x40 != 0, obuElementCount: (byte >> 4) & 0x03,
            startsCodedVideoSequence: byte & 0x08 != 0)
        // A sequence starts with its sequence header, never with the rest of an OBU.
        if header.startsCodedVideoSequence, header.continuesObu { throw .sequenceStartInsideObu }
        return header
    }

    /// Whether the packet is where a decoder can start: the first of a key frame that begins a
    /// coded video sequence, as a WebRTC sender marks every key frame.
    public var startsKeyframe: Bool { startsCodedVideoSequence }
}
