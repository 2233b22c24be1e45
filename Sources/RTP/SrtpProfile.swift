/// The SRTP protection profiles Relay negotiates in DTLS-SRTP (RFC 5764 §4.1.2, RFC 7714 §14.2).
public enum SrtpProfile: String, CaseIterable, Sendable {
    /// AEAD_AES_128_GCM: preferred, since it costs a fraction of AES-CM with HMAC here.
    case aeadAes128Gcm = "SRTP_AEAD_AES_128_GCM"
    case aes128CmHmacSha1_80 = "SRTP_AES128_CM_SHA1_80"

    /// Master key length in bytes.
    public var keyLength: Int { 16 }

    /// Master salt length in bytes (RFC 3711 §8.2; RFC 7714 §12 uses a 96-bit salt).
    public var saltLength: Int {
        switch self {
        case .aeadAes128Gcm: 12
        case .aes128CmHmacSha1_80: 14
        }
    }

    /// Bytes the profile adds to an RTP packet: the authentication tag.
    public var rtpOverhead: Int {
        switch self {
        case .aeadAes128Gcm: 16
        case .aes128CmHmacSha1_80: 10
        }
    }

    /// Bytes the profile adds to an RTCP packet: the SRTCP index and the tag.
    public var rtcpOverhead: Int { 4 + rtpOverhead }

    /// The name OpenSSL uses in `SSL_CTX_set_tlsext_use_srtp` and reports after the handshake.
    public var dtlsName: String { rawValue }

    public init?(dtlsName: String) {
        self.init(rawValue: dtlsName)
    }
}

/// A master key and salt for one direction of an SRTP session.
public struct SrtpKeyingMaterial: Equatable, Sendable, Codable {
    public var key: [UInt8]
    public var salt: [UInt8]

    public init(key: [UInt8], salt: [UInt8]) {
        self.key = key
        self.salt = salt
    }
}
