/// What the feedback messages of RFC 4585 §6.1 share: two packet types, each with its message
/// types in the header's FMT field, and a body that starts with two SSRCs.
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |V=2|P|   FMT   |       PT      |          length               |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                  SSRC of packet sender                        |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                  SSRC of media source                         |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     :            Feedback Control Information (FCI)                 :
public enum RtcpFeedback {
    /// RTPFB: transport-layer feedback (generic NACK, transport-wide congestion control).
    public static let transportLayerType: UInt8 = 205
    /// PSFB: payload-specific feedback (PLI, FIR, application-layer feedback such as REMB).
    public static let payloadSpecificType: UInt8 = 206
    /// The two SSRCs before the FCI.
    static let ssrcsLength = 8

    /// The sender and media SSRCs at the start of a feedback body.
    static func ssrcs(
        of body: UnsafeRawBufferPointer
    ) throws(RtcpParseError) -> (sender: UInt32, media: UInt32) {
        guard body.count >= ssrcsLength else { throw .feedbackHeaderTruncated(length: body.count) }
        return (body.u32(at: 0), body.u32(at: 4))
    }

    /// The feedback control information: the body after the two SSRCs, indexed from zero.
    static func fci(of body: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: body[ssrcsLength...])
    }

    /// Writes the header and both SSRCs, and returns where the FCI starts.
    static func writeHeader(
        format: UInt8, packetType: UInt8, packetLength: Int, paddingLength: Int = 0,
        sender: UInt32, media: UInt32, into buffer: UnsafeMutableRawBufferPointer
    ) throws(RtcpBuildError) -> Int {
        try RtcpHeader.write(
            countOrFormat: format, packetType: packetType, packetLength: packetLength,
            paddingLength: paddingLength, into: buffer)
        buffer.putU32(sender, at: 4)
        buffer.putU32(media, at: 8)
        return RtcpHeader.size + ssrcsLength
    }
}
