/// A compound RTCP packet: the packets of one datagram, in order (RFC 3550 §6.1).
///
/// Parsing does not demand that the first packet be a report, so reduced-size RTCP
/// (RFC 5506), such as a lone PLI or transport feedback, parses too; `isReducedSize` tells
/// which it was.
public struct RtcpCompound: RtcpPacketKind {
    public var packets: [RtcpPacket]

    public init(packets: [RtcpPacket]) {
        self.packets = packets
    }

    /// Transport-wide feedback statuses one compound may describe, all its feedback packets
    /// together. A run-length chunk of two bytes describes up to 8,191 statuses, so without a
    /// bound one 1,500-byte datagram could make the receiver expand millions of them. Real
    /// feedback covers the packets of 50 to 100 ms: a few hundred, a few thousand at most.
    public static let maximumTransportFeedbackStatuses = 16_384

    /// Parses every packet of the datagram; any byte after the last whole packet is an error,
    /// so a datagram with a bad length field is rejected rather than half read.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtcpParseError) -> Self {
        var packets: [RtcpPacket] = []
        var offset = 0
        var statuses = 0
        repeat {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            let header = try RtcpHeader.parse(rest)
            let body = header.body(of: rest)
            if header.packetType == RtcpTransportFeedback.packetType, header.countOrFormat == RtcpTransportFeedback.format,
                body.count >= RtcpFeedback.ssrcsLength + 4
            {
                // Checked before the packet is expanded: the status count follows the base
                // sequence number.
                statuses += Int(body.u16(at: RtcpFeedback.ssrcsLength + 2))
                guard statuses <= maximumTransportFeedbackStatuses else {
                    throw .transportFeedbackTooManyStatuses(inCompound: statuses, limit: maximumTransportFeedbackStatuses)
                }
            }
            packets.append(try RtcpPacket.parse(body: body, header: header))
            offset += header.packetLength
        } while offset < bytes.count
        return RtcpCompound(packets: packets)
    }

    /// Whether the datagram does not start with a sender or receiver report, as RFC 3550
    /// compound packets must and RFC 5506 reduced-size packets need not.
    public var isReducedSize: Bool {
        switch packets.first {
        case .senderReport, .receiverReport: false
        default: true
        }
    }

    public var marshalSize: Int { packets.reduce(0) { $0 + $1.marshalSize } }

    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(RtcpBuildError) -> Int {
        let size = marshalSize
        guard buffer.count >= size else {
            throw .bufferTooSmall(needed: size, available: buffer.count)
        }
        var offset = 0
        for packet in packets {
            offset += try packet.write(into: UnsafeMutableRawBufferPointer(rebasing: buffer[offset...]))
        }
        return offset
    }
}
