/// Why a DTLS endpoint could not be set up or its handshake failed.
public enum DtlsError: Error, Equatable, Sendable {
    /// OpenSSL could not generate the key or the self-signed certificate.
    case certificateGenerationFailed(String)
    /// OpenSSL refused a context setting (protocol version, SRTP profiles, certificate).
    case contextSetupFailed(String)
    /// The peer's certificate does not match the fingerprint signalled for it (RFC 5763 §5).
    case fingerprintMismatch(expected: CertificateFingerprint, actual: CertificateFingerprint)
    /// The peer completed the handshake without a certificate.
    case noPeerCertificate
    /// The handshake failed; the text is OpenSSL's reason.
    case handshakeFailed(String)
    /// The peer stopped answering: every retransmission of a flight went unanswered.
    case handshakeTimedOut
    /// The handshake finished without agreeing on an SRTP profile we support (RFC 5764 §4.1.2).
    case noSrtpProfile
    /// Exporting the SRTP keying material failed (RFC 5764 §4.2).
    case keyExportFailed
    /// A datagram larger than any DTLS flight we accept.
    case datagramTooLarge(Int)
    /// The endpoint is closed and takes no more input.
    case closed
}
