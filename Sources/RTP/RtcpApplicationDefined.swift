/// APP: an application-defined packet, identified by a four-character name and a subtype
/// (RFC 3550 §6.7).
public struct RtcpApplicationDefined: RtcpPacketKind {
    public static let packetType: UInt8 = 204

    /// 0...31: it travels in the header's count field.
    public var subtype: UInt8
    public var ssrc: UInt32
    /// Four ASCII characters, big-endian: "ABCD" is 0x4142_4344.
    public var name: UInt32
    /// A whole number of 32-bit words.
    public var data: [UInt8]

    public init(subtype: UInt8, ssrc: UInt32, name: UInt32, data: [UInt8] = []) {
        self.subtype = subtype
        self.ssrc = ssrc
        self.name = name
        self.data = data
    }

    /// The name's four octets.
    public var nameBytes: [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: name >> $0) }
    }

    /// Parses an APP packet (RFC 3550 §6.7).
    ///
    ///      0                   1                   2                   3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |V=2|P| subtype |   PT=APP=204  |             length            |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                           SSRC/CSRC                           |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                          name (ASCII)                         |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                   application-dependent data                ...
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtcpParseError) -> Self {
        try RtcpHeader.parsePacket(bytes, type: packetType, parse(body:header:))
    }

    static func parse(body: UnsafeRawBufferPointer, header: RtcpHeader) throws(RtcpParseError) -> Self {
        guard body.count >= 8 else { throw .applicationDefinedTruncated(length: body.count) }
        return RtcpApplicationDefined(
            subtype: header.countOrFormat, ssrc: body.u32(at: 0), name: body.u32(at: 4),
            data: Array(body[8...]))
    }

    public var marshalSize: Int { RtcpHeader.size + 8 + data.count }

    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(RtcpBuildError) -> Int {
        guard subtype <= 31 else { throw .subtypeTooLarge(subtype) }
        guard data.count % 4 == 0 else { throw .notWordAligned(data.count) }
        let size = marshalSize
        try RtcpHeader.write(
            countOrFormat: subtype, packetType: Self.packetType, packetLength: size, into: buffer)
        buffer.putU32(ssrc, at: 4)
        buffer.putU32(name, at: 8)
        var offset = RtcpHeader.size + 8
        for byte in data {
            buffer[offset] = byte
            offset += 1
        }
        return offset
    }
}
