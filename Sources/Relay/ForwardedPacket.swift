import RTP

/// Writes the packet a subscriber receives from a packet a publisher sent: the publisher's
/// header with the subscription's payload type, sequence number, timestamp and SSRC, the
/// publisher's header extensions replaced by the relay's own (`SubscribeHeaderExtensions`),
/// then the payload and padding as they came. Nothing is allocated.
enum ForwardedPacket {
    /// The values of the relay's extensions on one outgoing packet.
    struct Extensions {
        var transportSequenceNumber: UInt16
        /// abs-send-time: seconds in 6.18 fixed point, modulo 64 s.
        var absSendTime: UInt32
        /// The publisher's audio level byte (RFC 6464 §3), if it sent one.
        var audioLevel: UInt8?
    }

    /// The extension block's length in bytes: its 4-byte header and the elements, in words.
    static func extensionBlockLength(_ extensions: Extensions) -> Int {
        let elements = 3 + 4 + (extensions.audioLevel == nil ? 0 : 2)
        return 4 + (elements + 3) / 4 * 4
    }

    /// The fields of the outgoing header that differ from the source's.
    struct Rewrite {
        var payloadType: UInt8
        var sequenceNumber: UInt16
        var timestamp: UInt32
        var ssrc: UInt32
    }

    /// Writes the outgoing packet into `buffer` and returns its length, or 0 when it does not
    /// fit. `source` is the publisher's packet and `header` its parsed header.
    static func write(
        _ source: UnsafeRawBufferPointer, header: RtpHeader, payloadType: UInt8, sequenceNumber: UInt16,
        timestamp: UInt32, ssrc: UInt32, extensions: Extensions, into buffer: UnsafeMutableRawBufferPointer
    ) -> Int {
        let tail = UnsafeRawBufferPointer(rebasing: source[header.payloadRange.lowerBound...])
        let rewrite = Rewrite(payloadType: payloadType, sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc)
        // The padding bit stays as sent: the padding is part of the tail copied.
        guard let payloadStart = writeHeader(
            of: source, header: header, rewrite, keepsPadding: true, extensions: extensions,
            bodyLength: tail.count, into: buffer)
        else { return 0 }
        UnsafeMutableRawBufferPointer(rebasing: buffer[payloadStart..<(payloadStart + tail.count)]).copyMemory(from: tail)
        return payloadStart + tail.count
    }

    /// Writes a retransmission on an RTX stream (RFC 4588 §4): the RTX stream's SSRC, payload
    /// type and sequence number, the original sequence number as the first two payload bytes,
    /// then the original payload. Padding is not repeated.
    static func writeRetransmission(
        _ source: UnsafeRawBufferPointer, header: RtpHeader, payloadType: UInt8, sequenceNumber: UInt16,
        originalSequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32, extensions: Extensions,
        into buffer: UnsafeMutableRawBufferPointer
    ) -> Int {
        let payload = UnsafeRawBufferPointer(rebasing: source[header.payloadRange])
        let rewrite = Rewrite(payloadType: payloadType, sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc)
        guard let payloadStart = writeHeader(
            of: source, header: header, rewrite, keepsPadding: false, extensions: extensions,
            bodyLength: 2 + payload.count, into: buffer)
        else { return 0 }
        buffer.putU16(originalSequenceNumber, at: payloadStart)
        UnsafeMutableRawBufferPointer(rebasing: buffer[(payloadStart + 2)..<(payloadStart + 2 + payload.count)])
            .copyMemory(from: payload)
        return payloadStart + 2 + payload.count
    }

    /// Writes the source's header with `rewrite` applied, its CSRCs, and the relay's extension
    /// block; returns where the body of `bodyLength` bytes goes, or nil when it does not fit.
    private static func writeHeader(
        of source: UnsafeRawBufferPointer, header: RtpHeader, _ rewrite: Rewrite, keepsPadding: Bool,
        extensions: Extensions, bodyLength: Int, into buffer: UnsafeMutableRawBufferPointer
    ) -> Int? {
        let csrcEnd = RtpHeader.fixedLength + 4 * header.csrcCount
        let blockLength = extensionBlockLength(extensions)
        guard csrcEnd + blockLength + bodyLength <= buffer.count, csrcEnd <= source.count else { return nil }
        // V=2 and CC as sent, X set: the relay's block is always there.
        buffer[0] = source[0] & (keepsPadding ? 0xEF : 0xCF) | 0x10
        buffer[1] = source[1] & 0x80 | rewrite.payloadType & 0x7F
        buffer.putU16(rewrite.sequenceNumber, at: 2)
        buffer.putU32(rewrite.timestamp, at: 4)
        buffer.putU32(rewrite.ssrc, at: 8)
        if csrcEnd > RtpHeader.fixedLength {
            UnsafeMutableRawBufferPointer(rebasing: buffer[RtpHeader.fixedLength..<csrcEnd])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[RtpHeader.fixedLength..<csrcEnd]))
        }
        writeExtensionBlock(extensions, length: blockLength, into: buffer, at: csrcEnd)
        return csrcEnd + blockLength
    }

    /// Writes a padding-only packet (RFC 3550 §5.1: the P bit, zeros, and the padding's length
    /// in its last byte), as sent on a retransmission stream to probe the path; the receiver
    /// discards it after reading its header extensions.
    static func writePadding(
        payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32, paddingLength: Int,
        extensions: Extensions, into buffer: UnsafeMutableRawBufferPointer
    ) -> Int {
        let blockLength = extensionBlockLength(extensions)
        let start = RtpHeader.fixedLength + blockLength
        let length = start + paddingLength
        guard (1...255).contains(paddingLength), length <= buffer.count else { return 0 }
        buffer[0] = 0xB0
        buffer[1] = payloadType & 0x7F
        buffer.putU16(sequenceNumber, at: 2)
        buffer.putU32(timestamp, at: 4)
        buffer.putU32(ssrc, at: 8)
        writeExtensionBlock(extensions, length: blockLength, into: buffer, at: RtpHeader.fixedLength)
        UnsafeMutableRawBufferPointer(rebasing: buffer[start..<(length - 1)]).initializeMemory(as: UInt8.self, repeating: 0)
        buffer[length - 1] = UInt8(paddingLength)
        return length
    }

    /// The one-byte header form (RFC 8285 §4.2): 0xBEDE, the length in words, then elements
    /// of an id and length-minus-one nibble followed by the data, zero-padded to a word.
    static func writeExtensionBlock(
        _ extensions: Extensions, length: Int, into buffer: UnsafeMutableRawBufferPointer, at start: Int
    ) {
        buffer.putU16(RtpHeaderExtensions.oneByteProfile, at: start)
        buffer.putU16(UInt16((length - 4) / 4), at: start + 2)
        var offset = start + 4
        buffer[offset] = SubscribeHeaderExtensions.absSendTimeID << 4 | 2
        buffer.putU24(extensions.absSendTime & 0xFF_FFFF, at: offset + 1)
        offset += 4
        buffer[offset] = SubscribeHeaderExtensions.transportSequenceNumberID << 4 | 1
        buffer.putU16(extensions.transportSequenceNumber, at: offset + 1)
        offset += 3
        if let level = extensions.audioLevel {
            buffer[offset] = SubscribeHeaderExtensions.audioLevelID << 4
            buffer[offset + 1] = level
            offset += 2
        }
        while offset < start + length {
            buffer[offset] = 0
            offset += 1
        }
    }

    /// abs-send-time for monotonic time `now`: 24 bits of seconds in 6.18 fixed point, which
    /// wraps every 64 s (the extension's definition in libwebrtc's header extension docs).
    static func absSendTime(at now: UInt64) -> UInt32 {
        let period: UInt64 = 64_000_000_000
        return UInt32(truncatingIfNeeded: ((now % period) << 18) / 1_000_000_000) & 0xFF_FFFF
    }
}
