/// Generic NACK: the receiver lists the RTP sequence numbers it has lost, so the sender can
/// retransmit them (RFC 4585 §6.2.1).
public struct RtcpGenericNack: RtcpPacketKind {
    public static let packetType = RtcpFeedback.transportLayerType
    public static let format: UInt8 = 1

    /// A lost packet and a bitmask of the 16 packets after it: bit i set means packet
    /// `packetID + i + 1` is lost too.
    public struct Entry: Equatable, Sendable {
        public var packetID: UInt16
        public var lostBitmask: UInt16

        public init(packetID: UInt16, lostBitmask: UInt16 = 0) {
            self.packetID = packetID
            self.lostBitmask = lostBitmask
        }
    }

    public var senderSsrc: UInt32
    public var mediaSsrc: UInt32
    public var entries: [Entry]

    public init(senderSsrc: UInt32, mediaSsrc: UInt32, entries: [Entry]) {
        self.senderSsrc = senderSsrc
        self.mediaSsrc = mediaSsrc
        self.entries = entries
    }

    /// A NACK for `lostSequenceNumbers`, which should be in sending order (ascending, modulo
    /// 2^16) for the fewest entries.
    public init(senderSsrc: UInt32, mediaSsrc: UInt32, lostSequenceNumbers: [UInt16]) {
        self.init(
            senderSsrc: senderSsrc, mediaSsrc: mediaSsrc,
            entries: Self.entries(lostSequenceNumbers: lostSequenceNumbers))
    }

    /// Packs sequence numbers into PID+BLP entries. A number up to 16 after the current entry's
    /// PID, counted modulo 2^16 so that 65535 is followed by 0, joins its bitmask; any other
    /// starts a new entry.
    public static func entries(lostSequenceNumbers: [UInt16]) -> [Entry] {
        var entries: [Entry] = []
        for sequenceNumber in lostSequenceNumbers {
            if let last = entries.last {
                let distance = sequenceNumber &- last.packetID
                if distance == 0 { continue }
                if distance <= 16 {
                    entries[entries.count - 1].lostBitmask |= 1 << (distance - 1)
                    continue
                }
            }
            entries.append(Entry(packetID: sequenceNumber))
        }
        return entries
    }

    /// Every sequence number the entries report lost, in entry order, each PID before the
    /// numbers of its bitmask.
    public var lostSequenceNumbers: [UInt16] {
        var numbers: [UInt16] = []
        for entry in entries {
            numbers.append(entry.packetID)
            for bit in 0..<16 where entry.lostBitmask & (1 << bit) != 0 {
                numbers.append(entry.packetID &+ UInt16(bit + 1))
            }
        }
        return numbers
    }

    /// Parses a generic NACK (RFC 4585 §6.2.1): the feedback header, then one or more entries.
    ///
    ///      0                   1                   2                   3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |V=2|P|  FMT=1  |    PT=205     |          length               |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                  SSRC of packet sender                        |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                  SSRC of media source                         |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |            PID                |             BLP               |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtcpParseError) -> Self {
        try RtcpHeader.parsePacket(bytes, type: packetType, format: format, parse(body:header:))
    }

    static func parse(body: UnsafeRawBufferPointer, header: RtcpHeader) throws(RtcpParseError) -> Self {
        let ssrcs = try RtcpFeedback.ssrcs(of: body)
        let fci = RtcpFeedback.fci(of: body)
        guard !fci.isEmpty, fci.count % 4 == 0 else { throw .nackTruncated(length: fci.count) }
        let entries = stride(from: 0, to: fci.count, by: 4).map {
            Entry(packetID: fci.u16(at: $0), lostBitmask: fci.u16(at: $0 + 2))
        }
        return RtcpGenericNack(senderSsrc: ssrcs.sender, mediaSsrc: ssrcs.media, entries: entries)
    }

    public var marshalSize: Int { RtcpHeader.size + RtcpFeedback.ssrcsLength + 4 * entries.count }

    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(RtcpBuildError) -> Int {
        guard !entries.isEmpty else { throw .noEntries }
        var offset = try RtcpFeedback.writeHeader(
            format: Self.format, packetType: Self.packetType, packetLength: marshalSize,
            sender: senderSsrc, media: mediaSsrc, into: buffer)
        for entry in entries {
            buffer.putU16(entry.packetID, at: offset)
            buffer.putU16(entry.lostBitmask, at: offset + 2)
            offset += 4
        }
        return offset
    }
}
