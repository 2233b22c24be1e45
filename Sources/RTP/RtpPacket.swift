/// An RTP packet as an owned value: what a sender builds and a test compares.
///
/// The forwarding path does not use this type; it parses with `RtpHeader.parse` over the
/// received bytes. Building writes into a caller's buffer with `write(into:)`, so a sender
/// can reuse one buffer for every packet.
public struct RtpPacket: Equatable, Sendable {
    public struct Extension: Equatable, Sendable {
        public var id: UInt8
        public var data: [UInt8]
        public init(id: UInt8, data: [UInt8]) {
            self.id = id
            self.data = data
        }
    }

    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var csrcs: [UInt32]
    public var extensions: [Extension]
    public var payload: [UInt8]
    /// Bytes of padding to append (0 for none, else 1...255, the count byte included).
    public var paddingLength: Int

    public init(
        marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32,
        ssrc: UInt32, csrcs: [UInt32] = [], extensions: [Extension] = [], payload: [UInt8],
        paddingLength: Int = 0
    ) {
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.extensions = extensions
        self.payload = payload
        self.paddingLength = paddingLength
    }

    /// Copies a received packet into an owned value.
    public init(parsing bytes: [UInt8]) throws(RtpParseError) {
        let header = try RtpHeader.parse(bytes)
        let parsed: Result<[Extension], RtpParseError> = bytes.withUnsafeBytes { raw in
            let block = header.extensions(in: raw)
            do throws(RtpParseError) { try block.validate() } catch { return .failure(error) }
            return .success(block.map { Extension(id: $0.id, data: Array(raw[$0.range])) })
        }
        let elements = try parsed.get()
        self.init(
            marker: header.marker, payloadType: header.payloadType,
            sequenceNumber: header.sequenceNumber, timestamp: header.timestamp,
            ssrc: header.ssrc,
            csrcs: bytes.withUnsafeBytes { raw in
                (0..<header.csrcCount).map { header.csrc($0, in: raw) }
            },
            extensions: elements, payload: Array(bytes[header.payloadRange]),
            paddingLength: header.paddingLength)
    }

    /// Whether the extensions need the two-byte form (RFC 8285 §4.3): an ID above 14, or
    /// data that is empty or longer than 16 bytes.
    var needsTwoByteExtensions: Bool {
        extensions.contains { $0.id > 14 || $0.data.isEmpty || $0.data.count > 16 }
    }

    var extensionBlockLength: Int {
        guard !extensions.isEmpty else { return 0 }
        let perElement = needsTwoByteExtensions ? 2 : 1
        let raw = extensions.reduce(0) { $0 + perElement + $1.data.count }
        return 4 + (raw + 3) / 4 * 4
    }

    /// The number of bytes `write(into:)` produces.
    public var marshalSize: Int {
        RtpHeader.fixedLength + 4 * csrcs.count + extensionBlockLength + payload.count
            + paddingLength
    }

    public enum BuildError: Error, Equatable, Sendable {
        case tooManyCsrcs(Int)
        case invalidExtension(id: UInt8, length: Int)
        case invalidPadding(Int)
        case bufferTooSmall(needed: Int, available: Int)
    }

    /// Writes the packet into `buffer` and returns the number of bytes written.
    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(BuildError) -> Int {
        guard csrcs.count <= 15 else { throw .tooManyCsrcs(csrcs.count) }
        guard (0...255).contains(paddingLength) else { throw .invalidPadding(paddingLength) }
        let twoByte = needsTwoByteExtensions
        for element in extensions {
            let validID = twoByte ? element.id != 0 : (1...14).contains(element.id)
            guard validID, element.data.count <= 255 else {
                throw .invalidExtension(id: element.id, length: element.data.count)
            }
        }
        let size = marshalSize
        guard buffer.count >= size else {
            throw .bufferTooSmall(needed: size, available: buffer.count)
        }

        buffer[0] = 0x80 | (paddingLength > 0 ? 0x20 : 0) | (extensions.isEmpty ? 0 : 0x10)
            | UInt8(csrcs.count)
        buffer[1] = (marker ? 0x80 : 0) | (payloadType & 0x7F)
        buffer.putU16(sequenceNumber, at: 2)
        buffer.putU32(timestamp, at: 4)
        buffer.putU32(ssrc, at: 8)
        var offset = RtpHeader.fixedLength
        for csrc in csrcs {
            buffer.putU32(csrc, at: offset)
            offset += 4
        }
        if !extensions.isEmpty {
            let blockLength = extensionBlockLength
            buffer.putU16(twoByte ? RtpHeaderExtensions.twoByteProfile : RtpHeaderExtensions.oneByteProfile, at: offset)
            buffer.putU16(UInt16((blockLength - 4) / 4), at: offset + 2)
            let blockEnd = offset + blockLength
            offset += 4
            for element in extensions {
                if twoByte {
                    buffer[offset] = element.id
                    buffer[offset + 1] = UInt8(element.data.count)
                    offset += 2
                } else {
                    buffer[offset] = element.id << 4 | UInt8(element.data.count - 1)
                    offset += 1
                }
                for byte in element.data {
                    buffer[offset] = byte
                    offset += 1
                }
            }
            while offset < blockEnd {
                buffer[offset] = 0
                offset += 1
            }
        }
        for byte in payload {
            buffer[offset] = byte
            offset += 1
        }
        if paddingLength > 0 {
            for index in 0..<(paddingLength - 1) { buffer[offset + index] = 0 }
            offset += paddingLength
            buffer[offset - 1] = UInt8(paddingLength)
        }
        return offset
    }

    /// The packet's bytes.
    public func bytes() throws(BuildError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: marshalSize)
        let result: Result<Int, BuildError> = out.withUnsafeMutableBytes { raw in
            do throws(BuildError) { return .success(try write(into: raw)) } catch {
                return .failure(error)
            }
        }
        _ = try result.get()
        return out
    }
}
