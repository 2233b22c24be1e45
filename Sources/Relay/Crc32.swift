/// CRC-32 as ISO 3309 and ITU-T V.42 define it (reflected polynomial 0xEDB88320, initial value
/// and final XOR 0xFFFFFFFF): the checksum that STUN's FINGERPRINT is built on (RFC 8489 §14.7).
public enum Crc32 {
    /// One entry per byte value: the remainder of that byte shifted through eight rounds.
    private static let table: [UInt32] = (0..<256).map { index in
        var remainder = UInt32(index)
        for _ in 0..<8 {
            remainder = remainder & 1 == 1 ? (remainder >> 1) ^ 0xEDB8_8320 : remainder >> 1
        }
        return remainder
    }

    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }
}
