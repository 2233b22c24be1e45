internal import COpenSSL

/// SRTP protection of outgoing RTP with AEAD_AES_128_GCM (RFC 7714) on OpenSSL's EVP interface,
/// for the forwarding path: libsrtp2 as Debian builds it goes through NSS, which locks and
/// allocates for every packet and costs about twice as much. It produces the same bytes as
/// libsrtp2 (the tests compare them); RTCP and unprotection stay with `SrtpSession`.
///
/// It never protects a packet index of an SSRC twice: GCM under a repeated IV with other
/// associated data (a resend's new header extensions) gives away its hash key, so RFC 7714 §8.1
/// has every IV used once. What the relay resends goes on an RTX stream under a new index; a
/// resend on the stream the packet first went on is refused (`SrtpError.replayed`).
///
/// Not thread-safe: one sender belongs to one worker.
public final class SrtpGcmSender {
    /// Bytes added to a packet: the GCM tag.
    public static let tagLength = 16

    private let context: OpaquePointer
    /// The session salt (RFC 7714 §11), XORed into every IV: its 12 bytes as three big-endian
    /// words, so an IV is three XORs rather than twelve byte stores.
    private let salt: (UInt32, UInt32, UInt32)
    /// Per SSRC, the packet indices (ROC × 65536 + SEQ) protected so far: the highest, from
    /// which the next one's ROC is told (RFC 3711 §3.3.1), and which of the `ReplayWindow.size`
    /// below it were used. Places in `windows` by SSRC; the SSRC protected last is kept apart
    /// in `current`: a subscriber's packets mostly come in runs of one stream, and a hash per
    /// packet is saved.
    private var windows: ContiguousArray<ReplayWindow> = []
    private var places: [UInt32: Int] = [:]
    private var current: (ssrc: UInt32, place: Int)?

    public init(keyingMaterial: SrtpKeyingMaterial) throws(SrtpError) {
        let profile = SrtpProfile.aeadAes128Gcm
        guard keyingMaterial.key.count == profile.keyLength, keyingMaterial.salt.count == profile.saltLength else {
            throw .badKeyLength(expectedKey: profile.keyLength, expectedSalt: profile.saltLength)
        }
        guard let derivation = SrtpKeyDerivation(masterKey: keyingMaterial.key, masterSalt: keyingMaterial.salt),
            let context = EVP_CIPHER_CTX_new()
        else { throw .library(status: -1) }
        // RFC 7714 §11: the RTP session key (label 0x00) and the 96-bit session salt (label 0x02).
        var sessionKey = derivation.derive(label: 0x00, length: 16)
        defer { for index in sessionKey.indices { sessionKey[index] = 0 } }
        let sessionSalt = derivation.derive(label: 0x02, length: 12)
        guard sessionKey.count == 16, sessionSalt.count == 12 else {
            EVP_CIPHER_CTX_free(context)
            throw .library(status: -1)
        }
        salt = SrtpGcmReceiver.words(sessionSalt)
        guard EVP_EncryptInit_ex(context, EVP_aes_128_gcm(), nil, sessionKey, nil) == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw .library(status: -1)
        }
        self.context = context
    }

    deinit {
        EVP_CIPHER_CTX_free(context)
    }

    /// Encrypts the payload of the RTP packet in `buffer[0..<length]` in place, the header as
    /// associated data, and appends the tag; returns the new length.
    public func protectRtp(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SrtpError) -> Int {
        guard let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self),
            length + Self.tagLength <= buffer.count,
            let header = try? RtpHeader.parse(UnsafeRawBufferPointer(rebasing: buffer[0..<length]))
        else { throw .malformedPacket }
        let place = place(of: header.ssrc)
        let index = Self.packetIndex(sequenceNumber: header.sequenceNumber, highest: windows[place].highest)
        guard windows[place].admits(index) else { throw .replayed }

        // RFC 7714 §8.1: IV = (0x0000 || SSRC || ROC || SEQ) XOR salt, in three 32-bit words.
        let roc = UInt32(truncatingIfNeeded: index >> 16)
        let ssrc = header.ssrc
        var iv = (
            (ssrc >> 16 ^ salt.0).bigEndian,
            (ssrc << 16 | roc >> 16 ^ salt.1).bigEndian,
            (roc << 16 | UInt32(header.sequenceNumber) ^ salt.2).bigEndian)

        let headerLength = header.payloadRange.lowerBound
        let payloadLength = Int32(length - headerLength)
        var written: Int32 = 0
        let ivSet = withUnsafeBytes(of: &iv) { bytes in
            EVP_EncryptInit_ex(context, nil, nil, nil, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self))
        }
        guard ivSet == 1,
            EVP_EncryptUpdate(context, nil, &written, base, Int32(headerLength)) == 1,
            EVP_EncryptUpdate(context, base + headerLength, &written, base + headerLength, payloadLength) == 1,
            EVP_EncryptFinal_ex(context, base + length, &written) == 1,
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(Self.tagLength), base + length) == 1
        else { throw .library(status: -1) }
        windows[place].accept(index)
        return length + Self.tagLength
    }

    /// The packet's 48-bit index: its ROC guessed from the highest index sent on its SSRC, as
    /// RFC 3711 §3.3.1 has a receiver do, so a packet that comes late keeps its ROC.
    private static func packetIndex(sequenceNumber: UInt16, highest: UInt64?) -> UInt64 {
        guard let highest else { return UInt64(sequenceNumber) }
        // The index nearest the highest; before the first wrap none is below zero.
        let extended = SequenceNumberUnwrapper.extend(sequenceNumber, near: Int64(highest))
        return extended < 0 ? UInt64(sequenceNumber) : UInt64(extended)
    }

    /// Where `ssrc`'s window is in `windows`, made at its first packet.
    private func place(of ssrc: UInt32) -> Int {
        if let current, current.ssrc == ssrc { return current.place }
        let place: Int
        if let known = places[ssrc] {
            place = known
        } else {
            place = windows.count
            windows.append(ReplayWindow())
            places[ssrc] = place
        }
        current = (ssrc, place)
        return place
    }
}
