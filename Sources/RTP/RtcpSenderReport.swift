/// A sender report: what an active sender says about what it sent, plus reception reports
/// (RFC 3550 §6.4.1).
public struct RtcpSenderReport: RtcpPacketKind {
    public static let packetType: UInt8 = 200
    /// The sender's SSRC and the 20 bytes of sender information.
    static let fixedBodyLength = 24

    public var ssrc: UInt32
    /// NTP format: seconds since 1900 in the high 32 bits, the fraction in the low 32.
    public var ntpTimestamp: UInt64
    public var rtpTimestamp: UInt32
    public var packetCount: UInt32
    public var octetCount: UInt32
    public var reportBlocks: [RtcpReportBlock]
    /// Profile-specific extension after the report blocks, kept as bytes (RFC 3550 §6.4.1).
    public var profileExtension: [UInt8]

    public init(
        ssrc: UInt32, ntpTimestamp: UInt64, rtpTimestamp: UInt32, packetCount: UInt32,
        octetCount: UInt32, reportBlocks: [RtcpReportBlock] = [], profileExtension: [UInt8] = []
    ) {
        self.ssrc = ssrc
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reportBlocks = reportBlocks
        self.profileExtension = profileExtension
    }

    /// Parses a sender report (RFC 3550 §6.4.1).
    ///
    ///      0                   1                   2                   3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |V=2|P|    RC   |   PT=SR=200   |             length            |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                         SSRC of sender                        |
    ///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
    ///     |              NTP timestamp, most significant word             |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |             NTP timestamp, least significant word             |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                         RTP timestamp                         |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                     sender's packet count                     |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                      sender's octet count                     |
    ///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
    ///     |                 report blocks (24 bytes each)                 |
    ///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
    ///     |                  profile-specific extensions                  |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtcpParseError) -> Self {
        try RtcpHeader.parsePacket(bytes, type: packetType, parse(body:header:))
    }

    static func parse(body: UnsafeRawBufferPointer, header: RtcpHeader) throws(RtcpParseError) -> Self {
        guard body.count >= fixedBodyLength else { throw .senderInfoTruncated(length: body.count) }
        let blocks = try RtcpReportBlock.readList(
            count: Int(header.countOrFormat), from: body, at: fixedBodyLength)
        let extensionStart = fixedBodyLength + blocks.count * RtcpReportBlock.size
        return RtcpSenderReport(
            ssrc: body.u32(at: 0),
            ntpTimestamp: UInt64(body.u32(at: 4)) << 32 | UInt64(body.u32(at: 8)),
            rtpTimestamp: body.u32(at: 12), packetCount: body.u32(at: 16),
            octetCount: body.u32(at: 20), reportBlocks: blocks,
            profileExtension: Array(body[extensionStart...]))
    }

    public var marshalSize: Int {
        RtcpHeader.size + Self.fixedBodyLength + reportBlocks.count * RtcpReportBlock.size
            + profileExtension.count
    }

    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(RtcpBuildError) -> Int {
        try RtcpReportBlock.validate(reportBlocks)
        guard profileExtension.count % 4 == 0 else { throw .notWordAligned(profileExtension.count) }
        let size = marshalSize
        try RtcpHeader.write(
            countOrFormat: UInt8(reportBlocks.count), packetType: Self.packetType,
            packetLength: size, into: buffer)
        buffer.putU32(ssrc, at: 4)
        buffer.putU32(UInt32(truncatingIfNeeded: ntpTimestamp >> 32), at: 8)
        buffer.putU32(UInt32(truncatingIfNeeded: ntpTimestamp), at: 12)
        buffer.putU32(rtpTimestamp, at: 16)
        buffer.putU32(packetCount, at: 20)
        buffer.putU32(octetCount, at: 24)
        var offset = RtcpHeader.size + Self.fixedBodyLength
        for block in reportBlocks {
            block.write(into: buffer, at: offset)
            offset += RtcpReportBlock.size
        }
        for byte in profileExtension {
            buffer[offset] = byte
            offset += 1
        }
        return offset
    }
}
