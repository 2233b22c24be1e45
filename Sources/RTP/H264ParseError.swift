/// Why an RTP payload is not a well-formed H.264 payload in non-interleaved mode (RFC 6184 §5).
public enum H264ParseError: Error, Equatable, Sendable {
    /// The payload has no bytes, so no NAL unit header.
    case emptyPayload
    /// NAL unit type 0, 30 or 31: undefined by RFC 6184 §5.2.
    case undefinedNalUnitType(UInt8)
    /// STAP-B, MTAP16, MTAP24 or FU-B: packet types of interleaved mode, which WebRTC does not use
    /// (RFC 6184 §5.2, packetization-mode 1).
    case unsupportedPacketType(UInt8)
    /// A STAP-A holds no NAL unit after its header.
    case emptyAggregation
    /// A STAP-A's 16-bit NAL unit size is cut short by the end of the payload.
    case truncatedAggregationSize
    /// A STAP-A's NAL unit size is zero.
    case emptyAggregatedNalUnit
    /// A STAP-A's NAL unit size runs past the end of the payload.
    case aggregatedNalUnitPastEnd(size: Int, available: Int)
    /// A STAP-A holds a NAL unit whose type is not a single NAL unit type (1...23).
    case invalidAggregatedNalUnitType(UInt8)
    /// An FU-A has its FU indicator but no FU header.
    case truncatedFragmentHeader
    /// An FU-A has both the start and end bits set (RFC 6184 §5.8 forbids it).
    case fragmentStartAndEnd
    /// An FU-A carries a fragment of a NAL unit whose type is not 1...23.
    case invalidFragmentedNalUnitType(UInt8)
}
