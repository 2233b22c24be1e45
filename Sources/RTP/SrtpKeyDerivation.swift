internal import COpenSSL

/// The SRTP key derivation function (RFC 3711 §4.3.1) with a key derivation rate of 0, as
/// DTLS-SRTP uses it: AES-128 in counter mode keyed by the master key, the IV made of the master
/// salt with the label XORed into byte 7 (RFC 7714 §11 for the 96-bit GCM salt, padded).
struct SrtpKeyDerivation {
    private let masterKey: [UInt8]
    /// The master salt padded to 14 bytes.
    private let salt: [UInt8]

    init?(masterKey: [UInt8], masterSalt: [UInt8]) {
        guard masterKey.count == 16, masterSalt.count <= 14 else { return nil }
        self.masterKey = masterKey
        salt = masterSalt + [UInt8](repeating: 0, count: 14 - masterSalt.count)
    }

    func derive(label: UInt8, length: Int) -> [UInt8] {
        var counterBlock = salt + [0, 0]
        counterBlock[7] ^= label
        var output = [UInt8](repeating: 0, count: (length + 15) / 16 * 16)
        guard let context = EVP_CIPHER_CTX_new() else { return [] }
        defer { EVP_CIPHER_CTX_free(context) }
        let zeros = [UInt8](repeating: 0, count: output.count)
        var written: Int32 = 0
        guard EVP_EncryptInit_ex(context, EVP_aes_128_ctr(), nil, masterKey, counterBlock) == 1,
            EVP_EncryptUpdate(context, &output, &written, zeros, Int32(zeros.count)) == 1
        else { return [] }
        return Array(output.prefix(length))
    }
}
