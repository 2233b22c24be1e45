/// BYE: the listed sources are leaving, optionally with a reason (RFC 3550 §6.6).
public struct RtcpGoodbye: RtcpPacketKind {
    public static let packetType: UInt8 = 203

    public var sources: [UInt32]
    /// The reason for leaving, as sent (RFC 3550 does not promise valid UTF-8).
    public var reason: [UInt8]?

    public init(sources: [UInt32], reason: [UInt8]? = nil) {
        self.sources = sources
        self.reason = reason
    }

    public init(sources: [UInt32], reasonText: String) {
        self.init(sources: sources, reason: Array(reasonText.utf8))
    }

    /// The reason decoded as UTF-8, invalid sequences replaced.
    public var reasonText: String? { reason.map { String(decoding: $0, as: UTF8.self) } }

    /// Parses a BYE packet (RFC 3550 §6.6).
    ///
    ///      0                   1                   2                   3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |V=2|P|    SC   |   PT=BYE=203  |             length            |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                           SSRC/CSRC                           |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     :                              ...                              :
    ///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
    ///     |     length    |        reason for leaving (optional)        ...
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtcpParseError) -> Self {
        try RtcpHeader.parsePacket(bytes, type: packetType, parse(body:header:))
    }

    static func parse(body: UnsafeRawBufferPointer, header: RtcpHeader) throws(RtcpParseError) -> Self {
        let count = Int(header.countOrFormat)
        guard 4 * count <= body.count else {
            throw .goodbyeSourcesPastEnd(count: count, available: body.count)
        }
        let sources = (0..<count).map { body.u32(at: 4 * $0) }
        var reason: [UInt8]?
        let reasonStart = 4 * count
        if reasonStart < body.count {
            let length = Int(body[reasonStart])
            let available = body.count - reasonStart - 1
            guard length <= available else {
                throw .goodbyeReasonPastEnd(length: length, available: available)
            }
            reason = Array(body[(reasonStart + 1)..<(reasonStart + 1 + length)])
        }
        return RtcpGoodbye(sources: sources, reason: reason)
    }

    /// The reason's bytes on the wire: length octet, text, null octets to a word boundary.
    var reasonSize: Int {
        guard let reason else { return 0 }
        return (1 + reason.count + 3) / 4 * 4
    }

    public var marshalSize: Int { RtcpHeader.size + 4 * sources.count + reasonSize }

    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(RtcpBuildError) -> Int {
        guard sources.count <= 31 else { throw .countTooLarge(sources.count) }
        if let reason, reason.count > 255 { throw .textTooLong(reason.count) }
        let size = marshalSize
        try RtcpHeader.write(
            countOrFormat: UInt8(sources.count), packetType: Self.packetType, packetLength: size,
            into: buffer)
        var offset = RtcpHeader.size
        for source in sources {
            buffer.putU32(source, at: offset)
            offset += 4
        }
        if let reason {
            buffer[offset] = UInt8(reason.count)
            offset += 1
            for byte in reason {
                buffer[offset] = byte
                offset += 1
            }
            while offset < size {
                buffer[offset] = 0
                offset += 1
            }
        }
        return offset
    }
}
