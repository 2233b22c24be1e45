/// The PictureID field VP8 and VP9 descriptors share (RFC 7741 §4.2, RFC 9628 §4.2): M, then 7
/// bits in one octet or 15 bits in two.
enum PictureIDField {
    /// Writes `value` at `offset`, truncated to the width the field has there (`long`: 15 bits
    /// with M set), and returns what was written.
    @inline(__always)
    static func write(_ value: UInt16, long: Bool, at offset: Int, in payload: UnsafeMutableRawBufferPointer) -> UInt16 {
        if long {
            let written = value & 0x7FFF
            payload.putU16(0x8000 | written, at: offset)
            return written
        }
        let written = UInt8(truncatingIfNeeded: value) & 0x7F
        payload[offset] = written
        return UInt16(written)
    }
}
