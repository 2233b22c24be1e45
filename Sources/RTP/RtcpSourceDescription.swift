/// Source description: for each source, a list of items such as its CNAME (RFC 3550 §6.5).
public struct RtcpSourceDescription: RtcpPacketKind {
    public static let packetType: UInt8 = 202

    /// One SDES item: its type and its text, kept as bytes because the RFC does not guarantee
    /// valid UTF-8 and a forwarder must not alter it.
    public struct Item: Equatable, Sendable {
        public static let cname: UInt8 = 1
        public static let name: UInt8 = 2
        public static let email: UInt8 = 3
        public static let phone: UInt8 = 4
        public static let location: UInt8 = 5
        public static let tool: UInt8 = 6
        public static let note: UInt8 = 7
        public static let priv: UInt8 = 8

        public var type: UInt8
        public var value: [UInt8]

        public init(type: UInt8, value: [UInt8]) {
            self.type = type
            self.value = value
        }

        public init(type: UInt8, text: String) {
            self.init(type: type, value: Array(text.utf8))
        }

        /// The value decoded as UTF-8, invalid sequences replaced.
        public var text: String { String(decoding: value, as: UTF8.self) }
    }

    /// The items about one source.
    public struct Chunk: Equatable, Sendable {
        public var source: UInt32
        public var items: [Item]

        public init(source: UInt32, items: [Item]) {
            self.source = source
            self.items = items
        }

        /// The canonical name, the one item every compound packet must carry (RFC 3550 §6.5.1).
        public var cname: String? { items.first { $0.type == Item.cname }?.text }

        /// Bytes on the wire: SSRC, items, then one to four null octets up to a word boundary.
        var size: Int {
            let items = items.reduce(0) { $0 + 2 + $1.value.count }
            return 4 + (items + 1 + 3) / 4 * 4
        }
    }

    public var chunks: [Chunk]

    public init(chunks: [Chunk]) {
        self.chunks = chunks
    }

    /// Parses a source description (RFC 3550 §6.5).
    ///
    ///      0                   1                   2                   3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |V=2|P|    SC   |  PT=SDES=202  |             length            |
    ///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
    ///     |                          SSRC/CSRC_1                          |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |     type      |    length     |  text (length octets) ...     |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |  ... more items, then type 0 and null octets to a word boundary |
    ///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
    ///     |                          SSRC/CSRC_2 ...                      |
    ///     +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtcpParseError) -> Self {
        try RtcpHeader.parsePacket(bytes, type: packetType, parse(body:header:))
    }

    static func parse(body: UnsafeRawBufferPointer, header: RtcpHeader) throws(RtcpParseError) -> Self {
        let end = body.count
        var chunks: [Chunk] = []
        var offset = 0
        for index in 0..<Int(header.countOrFormat) {
            guard offset + 4 <= end else { throw .sourceDescriptionChunkPastEnd(index: index) }
            var chunk = Chunk(source: body.u32(at: offset), items: [])
            offset += 4
            while true {
                guard offset < end else { throw .sourceDescriptionChunkUnterminated(index: index) }
                let type = body[offset]
                if type == 0 {
                    // The null item, then null octets up to the next word boundary; the body
                    // starts on one, so offsets within it keep the alignment.
                    offset = min((offset + 1 + 3) / 4 * 4, end)
                    break
                }
                guard offset + 2 <= end else { throw .sourceDescriptionItemPastEnd(type: type) }
                let length = Int(body[offset + 1])
                let start = offset + 2
                guard start + length <= end else { throw .sourceDescriptionItemPastEnd(type: type) }
                chunk.items.append(Item(type: type, value: Array(body[start..<(start + length)])))
                offset = start + length
            }
            chunks.append(chunk)
        }
        return RtcpSourceDescription(chunks: chunks)
    }

    public var marshalSize: Int {
        chunks.reduce(RtcpHeader.size) { $0 + $1.size }
    }

    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(RtcpBuildError) -> Int {
        guard chunks.count <= 31 else { throw .countTooLarge(chunks.count) }
        for chunk in chunks {
            for item in chunk.items {
                guard item.type != 0 else { throw .sourceDescriptionItemTypeZero }
                guard item.value.count <= 255 else { throw .textTooLong(item.value.count) }
            }
        }
        let size = marshalSize
        try RtcpHeader.write(
            countOrFormat: UInt8(chunks.count), packetType: Self.packetType, packetLength: size,
            into: buffer)
        var offset = RtcpHeader.size
        for chunk in chunks {
            let chunkEnd = offset + chunk.size
            buffer.putU32(chunk.source, at: offset)
            offset += 4
            for item in chunk.items {
                buffer[offset] = item.type
                buffer[offset + 1] = UInt8(item.value.count)
                offset += 2
                for byte in item.value {
                    buffer[offset] = byte
                    offset += 1
                }
            }
            while offset < chunkEnd {
                buffer[offset] = 0
                offset += 1
            }
        }
        return offset
    }
}
