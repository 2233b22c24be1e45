/// Picture loss indication: the receiver lost part of a picture and asks the sender for a
/// keyframe (RFC 4585 §6.3.1).
public struct RtcpPictureLossIndication: RtcpPacketKind {
    public static let packetType = RtcpFeedback.payloadSpecificType
    public static let format: UInt8 = 1

    public var senderSsrc: UInt32
    public var mediaSsrc: UInt32

    public init(senderSsrc: UInt32, mediaSsrc: UInt32) {
        self.senderSsrc = senderSsrc
        self.mediaSsrc = mediaSsrc
    }

    /// Parses a PLI (RFC 4585 §6.3.1): the feedback header and no FCI, so length is 2.
    ///
    ///      0                   1                   2                   3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |V=2|P|  FMT=1  |    PT=206     |          length=2             |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                  SSRC of packet sender                        |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                  SSRC of media source                         |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtcpParseError) -> Self {
        try RtcpHeader.parsePacket(bytes, type: packetType, format: format, parse(body:header:))
    }

    static func parse(body: UnsafeRawBufferPointer, header: RtcpHeader) throws(RtcpParseError) -> Self {
        let ssrcs = try RtcpFeedback.ssrcs(of: body)
        let extra = body.count - RtcpFeedback.ssrcsLength
        guard extra == 0 else { throw .pictureLossIndicationHasBody(length: extra) }
        return RtcpPictureLossIndication(senderSsrc: ssrcs.sender, mediaSsrc: ssrcs.media)
    }

    public var marshalSize: Int { RtcpHeader.size + RtcpFeedback.ssrcsLength }

    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(RtcpBuildError) -> Int {
        try RtcpFeedback.writeHeader(
            format: Self.format, packetType: Self.packetType, packetLength: marshalSize,
            sender: senderSsrc, media: mediaSsrc, into: buffer)
    }
}
