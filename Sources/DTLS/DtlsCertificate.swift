internal import COpenSSL

/// An ECDSA P-256 key and a self-signed certificate for DTLS-SRTP, with its SHA-256 fingerprint.
///
/// WebRTC authenticates peers by the fingerprint in SDP, not by a chain (RFC 8827 §6.5), so a
/// fresh self-signed certificate per process is what browsers do too.
public final class DtlsCertificate: @unchecked Sendable {
    // Sendable: the key and certificate are never mutated after `generate`; OpenSSL's objects
    // are reference-counted and safe to read from several threads.
    let key: OpaquePointer
    let certificate: OpaquePointer
    public let fingerprint: CertificateFingerprint

    private init(key: OpaquePointer, certificate: OpaquePointer) throws(DtlsError) {
        self.key = key
        self.certificate = certificate
        guard let digest = Self.sha256(of: certificate) else {
            throw .certificateGenerationFailed("X509_digest failed")
        }
        self.fingerprint = CertificateFingerprint(digest: digest)
    }

    deinit {
        X509_free(certificate)
        EVP_PKEY_free(key)
    }

    /// Generates a key and a certificate valid from a day ago for `validityDays` days.
    public static func generate(commonName: String = "relay", validityDays: Int = 30) throws(DtlsError) -> DtlsCertificate {
        guard let key = relay_generate_p256_key() else {
            throw .certificateGenerationFailed(OpenSSLErrors.drain())
        }
        guard let x509 = X509_new() else {
            EVP_PKEY_free(key)
            throw .certificateGenerationFailed(OpenSSLErrors.drain())
        }
        var serial = [UInt8](repeating: 0, count: 8)
        RAND_bytes(&serial, Int32(serial.count))
        let serialNumber = serial.reduce(0) { $0 << 8 | Int($1) } & 0x3FFF_FFFF_FFFF_FFFF
        let subject = X509_NAME_new()
        let built =
            X509_set_version(x509, 2) == 1
            && ASN1_INTEGER_set_int64(X509_get_serialNumber(x509), Int64(serialNumber)) == 1
            && X509_gmtime_adj(X509_getm_notBefore(x509), -86_400) != nil
            && X509_gmtime_adj(X509_getm_notAfter(x509), 86_400 * validityDays) != nil
            && subject != nil
            && X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, commonName, -1, -1, 0) == 1
            && X509_set_subject_name(x509, subject) == 1
            && X509_set_issuer_name(x509, subject) == 1
            && X509_set_pubkey(x509, key) == 1
            && X509_sign(x509, key, EVP_sha256()) > 0
        X509_NAME_free(subject)
        guard built else {
            X509_free(x509)
            EVP_PKEY_free(key)
            throw .certificateGenerationFailed(OpenSSLErrors.drain())
        }
        return try DtlsCertificate(key: key, certificate: x509)
    }

    /// The SHA-256 digest of a certificate's DER encoding.
    static func sha256(of certificate: OpaquePointer) -> [UInt8]? {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(certificate, EVP_sha256(), &digest, &length) == 1 else { return nil }
        return Array(digest[0..<Int(length)])
    }
}
