/// One RTCP packet of any kind: what a compound packet is a sequence of.
public enum RtcpPacket: RtcpPacketKind {
    case senderReport(RtcpSenderReport)
    case receiverReport(RtcpReceiverReport)
    case sourceDescription(RtcpSourceDescription)
    case goodbye(RtcpGoodbye)
    case applicationDefined(RtcpApplicationDefined)
    case genericNack(RtcpGenericNack)
    case transportFeedback(RtcpTransportFeedback)
    case pictureLossIndication(RtcpPictureLossIndication)
    case fullIntraRequest(RtcpFullIntraRequest)
    case receiverEstimatedMaxBitrate(RtcpReceiverEstimatedMaxBitrate)
    /// Any other type or feedback message type, kept as bytes.
    case unknown(RtcpUnknownPacket)

    /// Parses the packet that starts `bytes`, choosing its kind from the header (and, for
    /// application-layer feedback, from the identifier). Bytes after it are not read.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtcpParseError) -> Self {
        let header = try RtcpHeader.parse(bytes)
        return try parse(body: header.body(of: bytes), header: header)
    }

    static func parse(body: UnsafeRawBufferPointer, header: RtcpHeader) throws(RtcpParseError) -> Self {
        switch (header.packetType, header.countOrFormat) {
        case (RtcpSenderReport.packetType, _):
            return .senderReport(try .parse(body: body, header: header))
        case (RtcpReceiverReport.packetType, _):
            return .receiverReport(try .parse(body: body, header: header))
        case (RtcpSourceDescription.packetType, _):
            return .sourceDescription(try .parse(body: body, header: header))
        case (RtcpGoodbye.packetType, _):
            return .goodbye(try .parse(body: body, header: header))
        case (RtcpApplicationDefined.packetType, _):
            return .applicationDefined(try .parse(body: body, header: header))
        case (RtcpGenericNack.packetType, RtcpGenericNack.format):
            return .genericNack(try .parse(body: body, header: header))
        case (RtcpTransportFeedback.packetType, RtcpTransportFeedback.format):
            return .transportFeedback(try .parse(body: body, header: header))
        case (RtcpPictureLossIndication.packetType, RtcpPictureLossIndication.format):
            return .pictureLossIndication(try .parse(body: body, header: header))
        case (RtcpFullIntraRequest.packetType, RtcpFullIntraRequest.format):
            return .fullIntraRequest(try .parse(body: body, header: header))
        case (RtcpReceiverEstimatedMaxBitrate.packetType, RtcpReceiverEstimatedMaxBitrate.format)
        where RtcpReceiverEstimatedMaxBitrate.isRemb(body: body):
            return .receiverEstimatedMaxBitrate(try .parse(body: body, header: header))
        default:
            return .unknown(.parse(body: body, header: header))
        }
    }

    /// The packet inside, as its own kind.
    public var packet: any RtcpPacketKind {
        switch self {
        case .senderReport(let packet): packet
        case .receiverReport(let packet): packet
        case .sourceDescription(let packet): packet
        case .goodbye(let packet): packet
        case .applicationDefined(let packet): packet
        case .genericNack(let packet): packet
        case .transportFeedback(let packet): packet
        case .pictureLossIndication(let packet): packet
        case .fullIntraRequest(let packet): packet
        case .receiverEstimatedMaxBitrate(let packet): packet
        case .unknown(let packet): packet
        }
    }

    public var marshalSize: Int { packet.marshalSize }

    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(RtcpBuildError) -> Int {
        try packet.write(into: buffer)
    }
}
