/// Full intra request: a middlebox or receiver asks each listed sender for a keyframe, with a
/// command sequence number so that a retransmitted request is not acted on twice
/// (RFC 5104 §4.3.1).
public struct RtcpFullIntraRequest: RtcpPacketKind {
    public static let packetType = RtcpFeedback.payloadSpecificType
    public static let format: UInt8 = 4
    static let entryLength = 8

    /// A request to the sender `ssrc`; `sequenceNumber` increases by one per new request.
    public struct Entry: Equatable, Sendable {
        public var ssrc: UInt32
        public var sequenceNumber: UInt8

        public init(ssrc: UInt32, sequenceNumber: UInt8) {
            self.ssrc = ssrc
            self.sequenceNumber = sequenceNumber
        }
    }

    public var senderSsrc: UInt32
    /// Unused by FIR and set to 0 by senders (RFC 5104 §4.3.1.2), kept as received.
    public var mediaSsrc: UInt32
    public var entries: [Entry]

    public init(senderSsrc: UInt32, mediaSsrc: UInt32 = 0, entries: [Entry]) {
        self.senderSsrc = senderSsrc
        self.mediaSsrc = mediaSsrc
        self.entries = entries
    }

    /// Parses a FIR (RFC 5104 §4.3.1.1): the feedback header, then one or more entries whose
    /// reserved bits are ignored.
    ///
    ///      0                   1                   2                   3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |V=2|P|  FMT=4  |    PT=206     |          length               |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                  SSRC of packet sender                        |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                  SSRC of media source (unused, 0)             |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                              SSRC                             |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     | Seq nr.       |    Reserved                                   |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtcpParseError) -> Self {
        try RtcpHeader.parsePacket(bytes, type: packetType, format: format, parse(body:header:))
    }

    static func parse(body: UnsafeRawBufferPointer, header: RtcpHeader) throws(RtcpParseError) -> Self {
        let ssrcs = try RtcpFeedback.ssrcs(of: body)
        let fci = RtcpFeedback.fci(of: body)
        guard !fci.isEmpty, fci.count % entryLength == 0 else {
            throw .fullIntraRequestTruncated(length: fci.count)
        }
        let entries = stride(from: 0, to: fci.count, by: entryLength).map {
            Entry(ssrc: fci.u32(at: $0), sequenceNumber: fci[$0 + 4])
        }
        return RtcpFullIntraRequest(
            senderSsrc: ssrcs.sender, mediaSsrc: ssrcs.media, entries: entries)
    }

    public var marshalSize: Int {
        RtcpHeader.size + RtcpFeedback.ssrcsLength + Self.entryLength * entries.count
    }

    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(RtcpBuildError) -> Int {
        guard !entries.isEmpty else { throw .noEntries }
        var offset = try RtcpFeedback.writeHeader(
            format: Self.format, packetType: Self.packetType, packetLength: marshalSize,
            sender: senderSsrc, media: mediaSsrc, into: buffer)
        for entry in entries {
            buffer.putU32(entry.ssrc, at: offset)
            buffer.putU32(UInt32(entry.sequenceNumber) << 24, at: offset + 4)
            offset += Self.entryLength
        }
        return offset
    }
}
