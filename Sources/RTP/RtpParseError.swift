/// Why a datagram is not a well-formed RTP packet (RFC 3550 §5.1, RFC 8285).
public enum RtpParseError: Error, Equatable, Sendable {
    /// Fewer bytes than the 12-byte fixed header.
    case truncated(length: Int)
    /// The version field is not 2.
    case badVersion(UInt8)
    /// The CSRC list runs past the end of the packet.
    case csrcListPastEnd
    /// The header-extension header (profile and length) runs past the end.
    case extensionHeaderPastEnd
    /// The header extension's declared length runs past the end.
    case extensionLengthOverflow
    /// An extension element's declared length runs past the extension block.
    case extensionElementPastEnd(id: UInt8)
    /// The padding bit is set but the padding count is zero.
    case zeroPaddingLength
    /// The padding count exceeds the bytes after the header.
    case paddingLongerThanPayload(padding: Int, available: Int)
}
