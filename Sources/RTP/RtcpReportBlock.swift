/// One reception report about one source, carried by sender and receiver reports
/// (RFC 3550 §6.4.1).
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
///     |                 SSRC_1 (SSRC of first source)                 |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     | fraction lost |       cumulative number of packets lost       |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |           extended highest sequence number received           |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                      interarrival jitter                      |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                         last SR (LSR)                         |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                   delay since last SR (DLSR)                  |
///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
public struct RtcpReportBlock: Equatable, Sendable {
    public static let size = 24
    /// The range of the signed 24-bit cumulative loss; duplicates can make it negative.
    public static let cumulativeLostRange: ClosedRange<Int32> = -0x80_0000...0x7F_FFFF

    public var ssrc: UInt32
    /// Packets lost since the previous report, as a fixed-point fraction of 256.
    public var fractionLost: UInt8
    public var cumulativeLost: Int32
    public var extendedHighestSequenceNumber: UInt32
    /// In RTP timestamp units.
    public var jitter: UInt32
    /// The middle 32 bits of the NTP timestamp of the last SR received from this source.
    public var lastSenderReport: UInt32
    /// In units of 1/65536 seconds.
    public var delaySinceLastSenderReport: UInt32

    public init(
        ssrc: UInt32, fractionLost: UInt8 = 0, cumulativeLost: Int32 = 0,
        extendedHighestSequenceNumber: UInt32 = 0, jitter: UInt32 = 0,
        lastSenderReport: UInt32 = 0, delaySinceLastSenderReport: UInt32 = 0
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequenceNumber = extendedHighestSequenceNumber
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    /// Reads the block at `offset`; the caller has checked that 24 bytes are there.
    init(reading bytes: UnsafeRawBufferPointer, at offset: Int) {
        let lost = bytes.u24(at: offset + 5)
        // Sign-extend the 24-bit two's-complement count.
        let cumulativeLost = Int32(bitPattern: lost << 8) >> 8
        self.init(
            ssrc: bytes.u32(at: offset), fractionLost: bytes[offset + 4],
            cumulativeLost: cumulativeLost,
            extendedHighestSequenceNumber: bytes.u32(at: offset + 8),
            jitter: bytes.u32(at: offset + 12), lastSenderReport: bytes.u32(at: offset + 16),
            delaySinceLastSenderReport: bytes.u32(at: offset + 20))
    }

    func validate() throws(RtcpBuildError) {
        guard Self.cumulativeLostRange.contains(cumulativeLost) else {
            throw .cumulativeLostOutOfRange(cumulativeLost)
        }
    }

    /// Writes the block at `offset`; the caller has checked the space and called `validate()`.
    func write(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        buffer.putU32(ssrc, at: offset)
        buffer[offset + 4] = fractionLost
        buffer.putU24(UInt32(bitPattern: cumulativeLost) & 0xFF_FFFF, at: offset + 5)
        buffer.putU32(extendedHighestSequenceNumber, at: offset + 8)
        buffer.putU32(jitter, at: offset + 12)
        buffer.putU32(lastSenderReport, at: offset + 16)
        buffer.putU32(delaySinceLastSenderReport, at: offset + 20)
    }

    /// Reads `count` blocks starting at `offset` of a report's body.
    static func readList(
        count: Int, from body: UnsafeRawBufferPointer, at offset: Int
    ) throws(RtcpParseError) -> [RtcpReportBlock] {
        let available = body.count - offset
        guard count * size <= available else {
            throw .reportBlocksPastEnd(count: count, available: available)
        }
        return (0..<count).map { RtcpReportBlock(reading: body, at: offset + $0 * size) }
    }

    /// Checks what a report's list of blocks must satisfy to be written.
    static func validate(_ blocks: [RtcpReportBlock]) throws(RtcpBuildError) {
        guard blocks.count <= 31 else { throw .countTooLarge(blocks.count) }
        for block in blocks { try block.validate() }
    }
}
