/// An RTCP packet of a type or feedback message type this module does not model (XR, an
/// unknown FMT, an application-layer feedback other than REMB, ...), kept whole so a forwarder
/// can pass it on or skip it instead of dropping the datagram.
public struct RtcpUnknownPacket: RtcpPacketKind {
    public var packetType: UInt8
    /// The header's 5-bit count, subtype or feedback message type.
    public var countOrFormat: UInt8
    /// Everything after the 4-byte header, padding excluded.
    public var body: [UInt8]

    public init(packetType: UInt8, countOrFormat: UInt8, body: [UInt8]) {
        self.packetType = packetType
        self.countOrFormat = countOrFormat
        self.body = body
    }

    /// Reads any packet as opaque: only the common header is checked.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtcpParseError) -> Self {
        let header = try RtcpHeader.parse(bytes)
        return parse(body: header.body(of: bytes), header: header)
    }

    static func parse(body: UnsafeRawBufferPointer, header: RtcpHeader) -> Self {
        RtcpUnknownPacket(
            packetType: header.packetType, countOrFormat: header.countOrFormat, body: Array(body))
    }

    public var marshalSize: Int { RtcpHeader.size + body.count }

    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(RtcpBuildError) -> Int {
        guard body.count % 4 == 0 else { throw .notWordAligned(body.count) }
        try RtcpHeader.write(
            countOrFormat: countOrFormat, packetType: packetType, packetLength: marshalSize,
            into: buffer)
        var offset = RtcpHeader.size
        for byte in body {
            buffer[offset] = byte
            offset += 1
        }
        return offset
    }
}
