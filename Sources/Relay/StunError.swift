/// Why a datagram is not a well-formed STUN message, or why it fails its checks (RFC 8489).
public enum StunError: Error, Equatable, Sendable {
    /// Fewer bytes than the 20-byte header.
    case truncated(length: Int)
    /// One of the two most significant bits is set: not STUN (RFC 8489 §5).
    case leadingBitsSet
    /// The message length is not a multiple of 4 (RFC 8489 §5).
    case lengthNotMultipleOfFour(Int)
    /// The message length claims more bytes than the datagram holds.
    case lengthPastEnd(declared: Int, available: Int)
    /// The datagram holds bytes after the declared message length.
    case trailingBytes(count: Int)
    /// The magic cookie is not 0x2112A442 (RFC 8489 §5).
    case badMagicCookie(UInt32)
    /// An attribute's value runs past the end of the message.
    case attributePastEnd(StunAttributeType)
    /// An attribute's length is wrong for its type (e.g. a PRIORITY that is not 4 bytes).
    case badAttributeLength(StunAttributeType, length: Int)
    /// A text attribute (USERNAME, SOFTWARE, ERROR-CODE reason) is not valid UTF-8.
    case invalidUtf8(StunAttributeType)
    /// An address attribute has a family other than IPv4 (0x01) or IPv6 (0x02) (RFC 8489 §14.1).
    case badAddressFamily(UInt8)
    /// An ERROR-CODE whose class is outside 3...6 or whose number exceeds 99 (RFC 8489 §14.8).
    case badErrorCode(errorClass: UInt8, number: UInt8)
    /// An attribute follows FINGERPRINT, which must come last (RFC 8489 §14.7).
    case attributeAfterFingerprint(StunAttributeType)
    /// The message carries no MESSAGE-INTEGRITY to verify.
    case missingIntegrity
    /// MESSAGE-INTEGRITY does not match the HMAC of the message under the given key.
    case integrityMismatch
    /// The message carries no FINGERPRINT to verify.
    case missingFingerprint
    /// FINGERPRINT does not match the CRC-32 of the message (RFC 8489 §14.7).
    case fingerprintMismatch
}
