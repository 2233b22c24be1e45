/// A receiver report: reception reports from a participant that is not sending
/// (RFC 3550 §6.4.2).
public struct RtcpReceiverReport: RtcpPacketKind {
    public static let packetType: UInt8 = 201

    public var ssrc: UInt32
    public var reportBlocks: [RtcpReportBlock]
    /// Profile-specific extension after the report blocks, kept as bytes.
    public var profileExtension: [UInt8]

    public init(ssrc: UInt32, reportBlocks: [RtcpReportBlock] = [], profileExtension: [UInt8] = []) {
        self.ssrc = ssrc
        self.reportBlocks = reportBlocks
        self.profileExtension = profileExtension
    }

    /// Parses a receiver report (RFC 3550 §6.4.2).
    ///
    ///      0                   1                   2                   3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |V=2|P|    RC   |   PT=RR=201   |             length            |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                     SSRC of packet sender                     |
    ///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
    ///     |                 report blocks (24 bytes each)                 |
    ///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
    ///     |                  profile-specific extensions                  |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtcpParseError) -> Self {
        try RtcpHeader.parsePacket(bytes, type: packetType, parse(body:header:))
    }

    static func parse(body: UnsafeRawBufferPointer, header: RtcpHeader) throws(RtcpParseError) -> Self {
        guard body.count >= 4 else { throw .receiverReportTruncated(length: body.count) }
        let blocks = try RtcpReportBlock.readList(
            count: Int(header.countOrFormat), from: body, at: 4)
        let extensionStart = 4 + blocks.count * RtcpReportBlock.size
        return RtcpReceiverReport(
            ssrc: body.u32(at: 0), reportBlocks: blocks,
            profileExtension: Array(body[extensionStart...]))
    }

    public var marshalSize: Int {
        RtcpHeader.size + 4 + reportBlocks.count * RtcpReportBlock.size + profileExtension.count
    }

    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(RtcpBuildError) -> Int {
        try RtcpReportBlock.validate(reportBlocks)
        guard profileExtension.count % 4 == 0 else { throw .notWordAligned(profileExtension.count) }
        let size = marshalSize
        try RtcpHeader.write(
            countOrFormat: UInt8(reportBlocks.count), packetType: Self.packetType,
            packetLength: size, into: buffer)
        buffer.putU32(ssrc, at: 4)
        var offset = RtcpHeader.size + 4
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
