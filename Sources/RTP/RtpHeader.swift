/// A parsed RTP fixed header and the layout of the packet it came from (RFC 3550 §5.1).
///
/// Parsing reads the bytes in place and records offsets; nothing is copied or allocated, so a
/// relay can parse every received packet. CSRCs and header extensions are read on demand from
/// the same bytes with `csrc(_:in:)` and `extensions(in:)`.
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |V=2|P|X|  CC   |M|     PT      |       sequence number         |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                           timestamp                           |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |           synchronization source (SSRC) identifier            |
///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///     |            contributing source (CSRC) identifiers             |
///     |                             ....                              |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
public struct RtpHeader: Equatable, Sendable {
    public static let fixedLength = 12

    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var csrcCount: Int
    /// The profile of the header extension (0xBEDE one-byte, 0x100x two-byte), if present.
    public var extensionProfile: UInt16?
    /// Where the extension elements lie in the packet (empty when there is no extension).
    public var extensionRange: Range<Int>
    /// Where the payload lies in the packet, padding excluded.
    public var payloadRange: Range<Int>
    public var paddingLength: Int

    /// The header length including CSRCs and the extension: the payload's first byte.
    public var headerLength: Int { payloadRange.lowerBound }

    public init(
        marker: Bool, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32,
        ssrc: UInt32, csrcCount: Int = 0, extensionProfile: UInt16? = nil,
        extensionRange: Range<Int> = 0..<0, payloadRange: Range<Int>, paddingLength: Int = 0
    ) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcCount = csrcCount
        self.extensionProfile = extensionProfile
        self.extensionRange = extensionRange
        self.payloadRange = payloadRange
        self.paddingLength = paddingLength
    }

    /// Parses the header of `bytes`, checking every length against the buffer.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtpParseError) -> RtpHeader {
        let length = bytes.count
        guard length >= fixedLength else { throw .truncated(length: length) }
        let first = bytes[0]
        let version = first >> 6
        guard version == 2 else { throw .badVersion(version) }
        let hasPadding = first & 0x20 != 0
        let hasExtension = first & 0x10 != 0
        let csrcCount = Int(first & 0x0F)
        var offset = fixedLength + 4 * csrcCount
        guard offset <= length else { throw .csrcListPastEnd }

        var extensionProfile: UInt16?
        var extensionRange = 0..<0
        if hasExtension {
            // RFC 3550 §5.3.1: 16-bit profile, 16-bit length in 32-bit words.
            guard offset + 4 <= length else { throw .extensionHeaderPastEnd }
            let profile = bytes.u16(at: offset)
            let words = Int(bytes.u16(at: offset + 2))
            let start = offset + 4
            let end = start + 4 * words
            guard end <= length else { throw .extensionLengthOverflow }
            extensionProfile = profile
            extensionRange = start..<end
            offset = end
        }

        var paddingLength = 0
        if hasPadding {
            // RFC 3550 §5.1: the last octet counts the padding, itself included.
            paddingLength = Int(bytes[length - 1])
            guard paddingLength > 0 else { throw .zeroPaddingLength }
            guard paddingLength <= length - offset else {
                throw .paddingLongerThanPayload(padding: paddingLength, available: length - offset)
            }
        }

        return RtpHeader(
            marker: bytes[1] & 0x80 != 0,
            payloadType: bytes[1] & 0x7F,
            sequenceNumber: bytes.u16(at: 2),
            timestamp: bytes.u32(at: 4),
            ssrc: bytes.u32(at: 8),
            csrcCount: csrcCount,
            extensionProfile: extensionProfile,
            extensionRange: extensionRange,
            payloadRange: offset..<(length - paddingLength),
            paddingLength: paddingLength)
    }

    /// Parses the header of a byte array.
    public static func parse(_ bytes: [UInt8]) throws(RtpParseError) -> RtpHeader {
        let result: Result<RtpHeader, RtpParseError> = bytes.withUnsafeBytes { raw in
            do throws(RtpParseError) { return .success(try parse(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The CSRC at `index` (< `csrcCount`) of the packet this header was parsed from.
    public func csrc(_ index: Int, in bytes: UnsafeRawBufferPointer) -> UInt32 {
        precondition(index >= 0 && index < csrcCount, "CSRC index out of range")
        return bytes.u32(at: Self.fixedLength + 4 * index)
    }

    /// The header extension elements of the packet this header was parsed from.
    public func extensions(in bytes: UnsafeRawBufferPointer) -> RtpHeaderExtensions {
        RtpHeaderExtensions(bytes: bytes, range: extensionRange, profile: extensionProfile ?? 0)
    }

    /// Overwrites the rewritable fields of a packet in place: what a forwarder changes per
    /// subscription. The packet must be at least 12 bytes long.
    public static func rewrite(
        _ bytes: UnsafeMutableRawBufferPointer, payloadType: UInt8, sequenceNumber: UInt16,
        timestamp: UInt32, ssrc: UInt32
    ) {
        precondition(bytes.count >= fixedLength, "not an RTP packet")
        bytes[1] = (bytes[1] & 0x80) | (payloadType & 0x7F)
        bytes.putU16(sequenceNumber, at: 2)
        bytes.putU32(timestamp, at: 4)
        bytes.putU32(ssrc, at: 8)
    }
}
