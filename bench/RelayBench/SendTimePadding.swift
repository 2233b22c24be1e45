import RTP

/// The publisher's send time, carried in RTP padding (RFC 3550 §5.1: the P bit, then padding
/// whose last byte counts it). The relay replaces header extensions with its own but forwards
/// payload and padding as they came, so the subscriber reads back when the publisher sent the
/// packet. The padding is 8 bytes of monotonic nanoseconds (big-endian), the number of the
/// video frame the packet belongs to (3 bytes, from 1; 0 for none), a zero, and the count.
enum SendTimePadding {
    static let length = 12

    /// Writes `now` into the padding of the packet in `buffer[0..<packetLength]`, which was
    /// written with `length` bytes of padding.
    static func stamp(_ buffer: UnsafeMutableRawBufferPointer, packetLength: Int, now: UInt64, frame: UInt32 = 0) {
        let start = packetLength - length
        guard start >= RtpHeader.fixedLength, packetLength <= buffer.count else { return }
        for index in 0..<8 {
            buffer[start + index] = UInt8(truncatingIfNeeded: now >> (56 - 8 * UInt64(index)))
        }
        for index in 0..<3 {
            buffer[start + 8 + index] = UInt8(truncatingIfNeeded: frame >> (16 - 8 * UInt32(index)))
        }
    }

    /// The number of the publisher's video frame a received packet belongs to; nil when the
    /// padding has none.
    static func frameNumber(_ packet: UnsafeRawBufferPointer, header: RtpHeader) -> UInt32? {
        guard header.paddingLength == length else { return nil }
        let start = header.payloadRange.upperBound + 8
        guard start + 3 <= packet.count else { return nil }
        let value = UInt32(packet[start]) << 16 | UInt32(packet[start + 1]) << 8 | UInt32(packet[start + 2])
        return value == 0 ? nil : value
    }

    /// The send time in a received packet's padding; nil when the packet has no padding of
    /// this shape (a relay's probe, or a sender that does not stamp).
    static func read(_ packet: UnsafeRawBufferPointer, header: RtpHeader) -> UInt64? {
        guard header.paddingLength == length else { return nil }
        let start = header.payloadRange.upperBound
        guard start + 8 <= packet.count else { return nil }
        var value: UInt64 = 0
        for index in 0..<8 { value = value << 8 | UInt64(packet[start + index]) }
        return value == 0 ? nil : value
    }
}
