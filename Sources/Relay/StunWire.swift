/// Constants of the STUN wire format and big-endian reads and writes over byte arrays
/// (RFC 8489 §5). Reads do not check bounds: callers check lengths first.
enum StunWire {
    static let headerLength = 20
    static let attributeHeaderLength = 4
    static let magicCookie: UInt32 = 0x2112_A442
    /// FINGERPRINT is the CRC-32 XORed with this, so a STUN CRC never equals the CRC an
    /// application protocol sharing the port might carry (RFC 8489 §14.7).
    static let fingerprintXor: UInt32 = 0x5354_554E
    static let magicCookieBytes: [UInt8] = [0x21, 0x12, 0xA4, 0x42]

    static func u16(_ bytes: [UInt8], at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    static func u32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(u16(bytes, at: offset)) << 16 | UInt32(u16(bytes, at: offset + 2))
    }

    static func u64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        UInt64(u32(bytes, at: offset)) << 32 | UInt64(u32(bytes, at: offset + 4))
    }

    static func append(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        append(UInt16(truncatingIfNeeded: value >> 16), to: &bytes)
        append(UInt16(truncatingIfNeeded: value), to: &bytes)
    }

    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        append(UInt32(truncatingIfNeeded: value >> 32), to: &bytes)
        append(UInt32(truncatingIfNeeded: value), to: &bytes)
    }

    /// Overwrites the message-length field of an encoded header.
    static func setMessageLength(_ length: Int, in bytes: inout [UInt8]) {
        bytes[2] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: length)
    }

    /// The offset of the first attribute of `type` in a datagram whose header has been checked,
    /// walking the attribute headers with bounds checks; nil if absent or if the walk runs off
    /// the end.
    static func offsetOfAttribute(_ type: StunAttributeType, in bytes: [UInt8]) -> Int? {
        guard bytes.count >= headerLength else { return nil }
        let end = min(bytes.count, headerLength + Int(u16(bytes, at: 2)))
        var offset = headerLength
        while offset + attributeHeaderLength <= end {
            if u16(bytes, at: offset) == type.rawValue { return offset }
            let valueLength = Int(u16(bytes, at: offset + 2))
            offset += attributeHeaderLength + paddedLength(valueLength)
        }
        return nil
    }

    /// Attribute values are padded to a multiple of 4 bytes (RFC 8489 §14).
    static func paddedLength(_ length: Int) -> Int {
        (length + 3) & ~3
    }
}
