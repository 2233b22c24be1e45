internal import COpenSSL
import RTP

/// The OpenSSL settings shared by every DTLS endpoint of one role: DTLS 1.2 only, our
/// certificate, a required peer certificate, the DTLS-SRTP profiles in order of preference.
public final class DtlsContext: @unchecked Sendable {
    // Sendable: configured once in `init` and then only used to create SSL objects, which
    // OpenSSL allows from several threads.
    public enum Role: Sendable {
        /// Sends the ClientHello. A WebRTC client whose SDP says `a=setup:active`.
        case client
        /// Waits for the ClientHello. The relay's role (`a=setup:passive`).
        case server
    }

    public let role: Role
    public let certificate: DtlsCertificate
    public let srtpProfiles: [SrtpProfile]
    let context: OpaquePointer

    public init(
        role: Role, certificate: DtlsCertificate,
        srtpProfiles: [SrtpProfile] = [.aeadAes128Gcm, .aes128CmHmacSha1_80]
    ) throws(DtlsError) {
        OpenSSLErrors.clear()
        guard let context = SSL_CTX_new(DTLS_method()) else {
            throw .contextSetupFailed(OpenSSLErrors.drain())
        }
        self.context = context
        self.role = role
        self.certificate = certificate
        self.srtpProfiles = srtpProfiles

        SSL_CTX_set_options(context, relay_SSL_dtls_options())
        let profileList = srtpProfiles.map(\.dtlsName).joined(separator: ":")
        guard relay_SSL_CTX_pin_dtls12(context) == 1,
            SSL_CTX_use_certificate(context, certificate.certificate) == 1,
            SSL_CTX_use_PrivateKey(context, certificate.key) == 1,
            SSL_CTX_check_private_key(context) == 1,
            // Returns 0 on success, unlike its neighbours.
            SSL_CTX_set_tlsext_use_srtp(context, profileList) == 0,
            SSL_CTX_set_cipher_list(context, "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-SHA") == 1
        else {
            throw .contextSetupFailed(OpenSSLErrors.drain())
        }
        // Each endpoint compares the peer's certificate with its SDP fingerprint in this callback;
        // a mismatch fails the handshake with a bad_certificate alert.
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT) { preverified, store in
            DtlsEndpoint.verifyPeerCertificate(preverified: preverified, store: store)
        }
        relay_SSL_CTX_set_read_ahead(context, 1)
    }

    deinit {
        SSL_CTX_free(context)
    }
}
