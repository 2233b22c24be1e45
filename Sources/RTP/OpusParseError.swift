/// Why an RTP payload is not a well-formed Opus packet (RFC 6716 §3.1, §3.4).
public enum OpusParseError: Error, Equatable, Sendable {
    /// The packet has no bytes, so no TOC byte (RFC 6716 §3.4, R1).
    case emptyPacket
    /// Frame count code 3 but the frame count byte is missing (RFC 6716 §3.2.5).
    case missingFrameCountByte
    /// Frame count code 3 with a count of zero frames (RFC 6716 §3.4, R5).
    case zeroFrameCount
    /// The frames add up to more than 120 ms of audio (RFC 6716 §3.4, R5); the duration is in
    /// 48 kHz samples.
    case durationTooLong(samples: Int)
}
