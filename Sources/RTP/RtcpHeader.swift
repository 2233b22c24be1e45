/// The common header that starts every RTCP packet, and where the packet's body lies
/// (RFC 3550 §6.4.1).
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |V=2|P|  count  |      PT       |             length            |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// The 5-bit count is a report or source count for SR, RR, SDES and BYE, the subtype for APP,
/// and the feedback message type (FMT) for RTPFB and PSFB. The length is the packet's size in
/// 32-bit words minus one, header and padding included.
public struct RtcpHeader: Equatable, Sendable {
    public static let size = 4
    /// The largest packet the 16-bit length field can describe.
    public static let maxPacketLength = 4 * 65536

    public var countOrFormat: UInt8
    public var packetType: UInt8
    /// The whole packet's size in bytes: header, body and padding.
    public var packetLength: Int
    /// Bytes of padding at the end of the packet, the count octet included (0 for none).
    public var paddingLength: Int

    public init(countOrFormat: UInt8, packetType: UInt8, packetLength: Int, paddingLength: Int = 0) {
        self.countOrFormat = countOrFormat
        self.packetType = packetType
        self.packetLength = packetLength
        self.paddingLength = paddingLength
    }

    /// Where the body lies: after the header, before the padding.
    public var bodyRange: Range<Int> { Self.size..<(packetLength - paddingLength) }

    /// Parses the header of the packet that starts `bytes`, checking its length and padding
    /// against the buffer. Bytes after `packetLength` belong to the next packet and are not read.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtcpParseError) -> RtcpHeader {
        guard bytes.count >= size else { throw .truncatedHeader(length: bytes.count) }
        let first = bytes[0]
        let version = first >> 6
        guard version == 2 else { throw .badVersion(version) }
        let packetLength = (Int(bytes.u16(at: 2)) + 1) * 4
        guard packetLength <= bytes.count else {
            throw .lengthPastEnd(declared: packetLength, available: bytes.count)
        }
        var paddingLength = 0
        if first & 0x20 != 0 {
            // RFC 3550 §6.4.1: the last octet counts the padding, itself included.
            paddingLength = Int(bytes[packetLength - 1])
            guard paddingLength > 0 else { throw .zeroPaddingLength }
            guard paddingLength <= packetLength - size else {
                throw .paddingLongerThanPacket(padding: paddingLength, available: packetLength - size)
            }
        }
        return RtcpHeader(
            countOrFormat: first & 0x1F, packetType: bytes[1], packetLength: packetLength,
            paddingLength: paddingLength)
    }

    /// The body of the packet this header was parsed from, indexed from zero.
    func body(of bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[bodyRange])
    }

    /// Checks that a packet of `packetLength` bytes fits the length field and `buffer`, then writes its
    /// header. Every packet kind's `write(into:)` starts here.
    static func write(
        countOrFormat: UInt8, packetType: UInt8, packetLength: Int, paddingLength: Int = 0,
        into buffer: UnsafeMutableRawBufferPointer
    ) throws(RtcpBuildError) {
        guard packetLength <= maxPacketLength else { throw .packetTooLong(packetLength) }
        guard buffer.count >= packetLength else {
            throw .bufferTooSmall(needed: packetLength, available: buffer.count)
        }
        buffer[0] = 0x80 | (paddingLength > 0 ? 0x20 : 0) | (countOrFormat & 0x1F)
        buffer[1] = packetType
        buffer.putU16(UInt16(truncatingIfNeeded: packetLength / 4 - 1), at: 2)
    }

    /// Parses the packet that starts `bytes` with `parseBody` when its header says it is of
    /// type `type` (and feedback message type `format`): the first step of every kind's
    /// `parse(_:)`.
    static func parsePacket<Kind>(
        _ bytes: UnsafeRawBufferPointer, type: UInt8, format: UInt8? = nil,
        _ parseBody: (UnsafeRawBufferPointer, RtcpHeader) throws(RtcpParseError) -> Kind
    ) throws(RtcpParseError) -> Kind {
        let header = try parse(bytes)
        guard header.packetType == type, format == nil || header.countOrFormat == format else {
            throw .unexpectedPacketType(type: header.packetType, countOrFormat: header.countOrFormat)
        }
        return try parseBody(header.body(of: bytes), header)
    }
}
