/// REMB: the receiver's estimate of the total bitrate it can take for the listed streams
/// (draft-alvestrand-rmcat-remb-03 §2.2), an application-layer feedback message.
public struct RtcpReceiverEstimatedMaxBitrate: RtcpPacketKind {
    public static let packetType = RtcpFeedback.payloadSpecificType
    /// Application-layer feedback (RFC 4585 §6.4); the identifier tells REMB from others.
    public static let format: UInt8 = 15
    /// "REMB" in ASCII.
    public static let identifier: UInt32 = 0x5245_4D42
    static let mantissaBits = 18

    public var senderSsrc: UInt32
    /// Always 0 for REMB; kept as received.
    public var mediaSsrc: UInt32
    /// Bits per second. Sent as an 18-bit mantissa and a 6-bit exponent, so a rate above
    /// 2^18 bit/s loses its low bits: it is rounded down, never up.
    public var bitrate: UInt64
    /// The media streams the estimate applies to.
    public var ssrcs: [UInt32]

    public init(senderSsrc: UInt32, mediaSsrc: UInt32 = 0, bitrate: UInt64, ssrcs: [UInt32]) {
        self.senderSsrc = senderSsrc
        self.mediaSsrc = mediaSsrc
        self.bitrate = bitrate
        self.ssrcs = ssrcs
    }

    /// The exponent and mantissa that carry `bitrate`: the smallest exponent whose mantissa
    /// fits 18 bits, so the value is truncated toward zero.
    public static func encode(bitrate: UInt64) -> (exponent: UInt8, mantissa: UInt32) {
        let significantBits = UInt64.bitWidth - bitrate.leadingZeroBitCount
        let exponent = max(0, significantBits - mantissaBits)
        return (UInt8(exponent), UInt32(truncatingIfNeeded: bitrate >> exponent))
    }

    /// The bitrate an exponent and mantissa stand for, or an error when it exceeds 64 bits.
    public static func decode(
        exponent: UInt8, mantissa: UInt32
    ) throws(RtcpParseError) -> UInt64 {
        let significantBits = UInt32.bitWidth - mantissa.leadingZeroBitCount
        guard mantissa == 0 || significantBits + Int(exponent) <= UInt64.bitWidth else {
            throw .rembBitrateOverflow(exponent: exponent, mantissa: mantissa)
        }
        return UInt64(mantissa) << UInt64(exponent)
    }

    /// Parses a REMB (draft-alvestrand-rmcat-remb-03 §2.2). A mantissa that is not the
    /// smallest for its value reads correctly but is written back in the smallest form.
    ///
    ///      0                   1                   2                   3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |V=2|P| FMT=15  |   PT=206      |             length            |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                  SSRC of packet sender                        |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                  SSRC of media source (0)                     |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |  Unique identifier 'R' 'E' 'M' 'B'                            |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |  Num SSRC     | BR Exp    |  BR Mantissa                      |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |   SSRC feedback                                               |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |  ...                                                          |
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtcpParseError) -> Self {
        try RtcpHeader.parsePacket(bytes, type: packetType, format: format, parse(body:header:))
    }

    /// Whether an application-layer feedback body carries the REMB identifier; other
    /// identifiers are other messages, not malformed REMBs.
    static func isRemb(body: UnsafeRawBufferPointer) -> Bool {
        body.count >= RtcpFeedback.ssrcsLength + 4
            && body.u32(at: RtcpFeedback.ssrcsLength) == identifier
    }

    static func parse(body: UnsafeRawBufferPointer, header: RtcpHeader) throws(RtcpParseError) -> Self {
        let ssrcs = try RtcpFeedback.ssrcs(of: body)
        let fci = RtcpFeedback.fci(of: body)
        guard fci.count >= 8 else { throw .rembTruncated(length: fci.count) }
        let identifier = fci.u32(at: 0)
        guard identifier == Self.identifier else { throw .rembBadIdentifier(identifier) }
        let count = Int(fci[4])
        let available = fci.count - 8
        guard 4 * count <= available else {
            throw .rembSsrcListPastEnd(count: count, available: available)
        }
        let bitrate = try decode(exponent: fci[5] >> 2, mantissa: fci.u24(at: 5) & 0x3_FFFF)
        return RtcpReceiverEstimatedMaxBitrate(
            senderSsrc: ssrcs.sender, mediaSsrc: ssrcs.media, bitrate: bitrate,
            ssrcs: (0..<count).map { fci.u32(at: 8 + 4 * $0) })
    }

    public var marshalSize: Int { RtcpHeader.size + RtcpFeedback.ssrcsLength + 8 + 4 * ssrcs.count }

    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(RtcpBuildError) -> Int {
        guard ssrcs.count <= 255 else { throw .tooManySsrcs(ssrcs.count) }
        var offset = try RtcpFeedback.writeHeader(
            format: Self.format, packetType: Self.packetType, packetLength: marshalSize,
            sender: senderSsrc, media: mediaSsrc, into: buffer)
        let (exponent, mantissa) = Self.encode(bitrate: bitrate)
        buffer.putU32(Self.identifier, at: offset)
        buffer[offset + 4] = UInt8(ssrcs.count)
        buffer.putU24(UInt32(exponent) << 18 | mantissa, at: offset + 5)
        offset += 8
        for ssrc in ssrcs {
            buffer.putU32(ssrc, at: offset)
            offset += 4
        }
        return offset
    }
}
