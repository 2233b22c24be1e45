/// Why SRTP or SRTCP protection or unprotection failed.
public enum SrtpError: Error, Equatable, Sendable {
    /// The key or salt has the wrong length for the profile.
    case badKeyLength(expectedKey: Int, expectedSalt: Int)
    /// The authentication tag did not verify: the packet was altered or keyed differently.
    case authenticationFailed
    /// The packet's index was already seen or is older than the replay window (RFC 3711 §3.3.2);
    /// sending, with AEAD_AES_128_GCM, the index was already protected (`SrtpGcmSender`).
    case replayed
    /// The packet is too short to be RTP or RTCP, or its header is malformed.
    case malformedPacket
    /// An inbound session already holds streams for `SrtpSession.maximumInboundSsrcs` SSRCs and
    /// the packet names another: refused before libsrtp sees it.
    case tooManySsrcs
    /// The buffer has no room for the authentication tag.
    case bufferTooSmall(needed: Int, available: Int)
    /// Any other status returned by libsrtp.
    case library(status: Int32)
}
