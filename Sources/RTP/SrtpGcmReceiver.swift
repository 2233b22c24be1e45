internal import COpenSSL

/// SRTP and SRTCP unprotection of what a peer sends with AEAD_AES_128_GCM (RFC 7714), on
/// OpenSSL's EVP interface, for the receiving path: libsrtp2 as Debian builds it goes through
/// NSS, which locks and allocates for every packet (bench/PROFILE.md). It accepts what
/// libsrtp2 accepts and refuses what it refuses (the tests compare them): a packet whose tag
/// does not verify, a replayed one, one older than `ReplayWindow.size` indices of its stream,
/// and the first packet of an SSRC beyond `SrtpSession.maximumInboundSsrcs`; but for SRTCP its
/// window is as wide as for SRTP, where libsrtp2's holds 128 indices.
///
/// Decryption is in place: a packet refused for its tag is left garbled, to be dropped.
/// Not thread-safe: a receiver belongs to one worker.
public final class SrtpGcmReceiver {
    /// Bytes the GCM tag adds to a packet.
    public static let tagLength = 16
    /// RFC 7714 §9: the word after an SRTCP packet's tag, the E flag and the 31-bit index.
    static let trailerLength = 4

    /// What the receiver holds for one SSRC: the packet indices accepted on it.
    private struct Stream {
        let ssrc: UInt32
        var rtp = ReplayWindow()
        var rtcp = ReplayWindow()
    }

    private let rtpContext: OpaquePointer
    private let rtcpContext: OpaquePointer
    /// The session salts (RFC 7714 §11) as three big-endian words, XORed into every IV.
    private let rtpSalt: (UInt32, UInt32, UInt32)
    private let rtcpSalt: (UInt32, UInt32, UInt32)
    /// In a short array: a scan of the few SSRCs a peer sends is cheaper than hashing.
    private var streams: ContiguousArray<Stream> = []

    /// Keys derived from the DTLS-SRTP keying material the peer protects with (RFC 3711 §4.3).
    public convenience init(keyingMaterial: SrtpKeyingMaterial) throws(SrtpError) {
        let profile = SrtpProfile.aeadAes128Gcm
        guard keyingMaterial.key.count == profile.keyLength, keyingMaterial.salt.count == profile.saltLength,
            let derivation = SrtpKeyDerivation(masterKey: keyingMaterial.key, masterSalt: keyingMaterial.salt)
        else { throw .badKeyLength(expectedKey: profile.keyLength, expectedSalt: profile.saltLength) }
        // RFC 7714 §11 with RFC 3711 §4.3.2's labels: SRTP key 0x00 and salt 0x02, SRTCP key
        // 0x03 and salt 0x05.
        var rtpKey = derivation.derive(label: 0x00, length: 16)
        var rtcpKey = derivation.derive(label: 0x03, length: 16)
        defer {
            for index in rtpKey.indices { rtpKey[index] = 0 }
            for index in rtcpKey.indices { rtcpKey[index] = 0 }
        }
        try self.init(
            rtpKey: rtpKey, rtpSalt: derivation.derive(label: 0x02, length: 12),
            rtcpKey: rtcpKey, rtcpSalt: derivation.derive(label: 0x05, length: 12))
    }

    /// Session keys and salts as they are: what RFC 7714's test vectors give.
    init(rtpKey: [UInt8], rtpSalt: [UInt8], rtcpKey: [UInt8], rtcpSalt: [UInt8]) throws(SrtpError) {
        guard rtpKey.count == 16, rtcpKey.count == 16, rtpSalt.count == 12, rtcpSalt.count == 12 else {
            throw .badKeyLength(expectedKey: 16, expectedSalt: 12)
        }
        guard let rtpContext = Self.decryptionContext(key: rtpKey) else { throw .library(status: -1) }
        guard let rtcpContext = Self.decryptionContext(key: rtcpKey) else {
            EVP_CIPHER_CTX_free(rtpContext)
            throw .library(status: -1)
        }
        self.rtpContext = rtpContext
        self.rtcpContext = rtcpContext
        self.rtpSalt = Self.words(rtpSalt)
        self.rtcpSalt = Self.words(rtcpSalt)
    }

    deinit {
        EVP_CIPHER_CTX_free(rtpContext)
        EVP_CIPHER_CTX_free(rtcpContext)
    }

    /// Verifies and decrypts the SRTP packet in `buffer[0..<length]` in place; returns the RTP
    /// length.
    public func unprotectRtp(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SrtpError) -> Int {
        guard (0...buffer.count).contains(length), let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw .malformedPacket
        }
        let packet = UnsafeRawBufferPointer(rebasing: buffer[0..<length])
        guard let headerLength = Self.rtpHeaderLength(packet), headerLength + Self.tagLength <= length else {
            throw .malformedPacket
        }
        let sequenceNumber = UInt16(packet[2]) << 8 | UInt16(packet[3])
        let ssrc = Self.word(packet, at: 8)
        let place = try place(of: ssrc)
        // RFC 3711 §3.3.1: the index nearest the highest accepted; the first packet of a stream
        // has ROC 0, as libsrtp2 has it.
        var index = UInt64(sequenceNumber)
        if let place, let highest = streams[place].rtp.highest {
            let extended = SequenceNumberUnwrapper.extend(sequenceNumber, near: Int64(highest))
            if extended >= 0 { index = UInt64(extended) }
            guard streams[place].rtp.admits(index) else { throw .replayed }
        }

        // RFC 7714 §8.1: IV = (0x0000 || SSRC || ROC || SEQ) XOR salt; the header is the AAD.
        let roc = UInt32(truncatingIfNeeded: index >> 16)
        let iv = (
            (ssrc >> 16 ^ rtpSalt.0).bigEndian,
            (ssrc << 16 | roc >> 16 ^ rtpSalt.1).bigEndian,
            (roc << 16 | UInt32(sequenceNumber) ^ rtpSalt.2).bigEndian)
        let cipherLength = length - headerLength - Self.tagLength
        try open(
            rtpContext, iv: iv, aad: UnsafeRawBufferPointer(start: base, count: headerLength), trailer: nil,
            text: base + headerLength, count: cipherLength, tag: base + headerLength + cipherLength)

        streams[place ?? newStream(ssrc)].rtp.accept(index)
        return length - Self.tagLength
    }

    /// Verifies and, when its E flag says it was encrypted, decrypts the SRTCP packet in
    /// `buffer[0..<length]` in place; returns the RTCP length.
    public func unprotectRtcp(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SrtpError) -> Int {
        guard length <= buffer.count, let base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self),
            length >= 8 + Self.tagLength + Self.trailerLength
        else { throw .malformedPacket }
        let packet = UnsafeRawBufferPointer(rebasing: buffer[0..<length])
        let rtcpLength = length - Self.tagLength - Self.trailerLength
        let trailer = Self.word(packet, at: length - Self.trailerLength)
        let isEncrypted = trailer & 0x8000_0000 != 0
        let index = UInt64(trailer & 0x7FFF_FFFF)
        let ssrc = Self.word(packet, at: 4)
        let place = try place(of: ssrc)
        if let place, !streams[place].rtcp.admits(index) { throw .replayed }

        // RFC 7714 §9.1: IV = (0x0000 || SSRC || 0x0000 || 0 || SRTCP index) XOR salt. The AAD
        // is the first 8 octets and the trailer word, or with E clear the whole packet and the
        // trailer word, nothing encrypted (§9.2).
        let iv = (
            (ssrc >> 16 ^ rtcpSalt.0).bigEndian,
            (ssrc << 16 ^ rtcpSalt.1).bigEndian,
            (UInt32(truncatingIfNeeded: index) ^ rtcpSalt.2).bigEndian)
        let clear = isEncrypted ? 8 : rtcpLength
        try open(
            rtcpContext, iv: iv, aad: UnsafeRawBufferPointer(start: base, count: clear),
            trailer: UnsafeRawBufferPointer(start: base + rtcpLength + Self.tagLength, count: Self.trailerLength),
            text: base + clear, count: rtcpLength - clear, tag: base + rtcpLength)

        streams[place ?? newStream(ssrc)].rtcp.accept(index)
        return rtcpLength
    }

    /// A stream for `ssrc`, whose first packet authenticated; returns its place.
    private func newStream(_ ssrc: UInt32) -> Int {
        streams.append(Stream(ssrc: ssrc))
        return streams.count - 1
    }

    /// Where `ssrc`'s stream is in `streams`; nil for a new SSRC, which may still get one.
    private func place(of ssrc: UInt32) throws(SrtpError) -> Int? {
        if let place = streams.firstIndex(where: { $0.ssrc == ssrc }) { return place }
        guard streams.count < SrtpSession.maximumInboundSsrcs else { throw .tooManySsrcs }
        return nil
    }

    /// Decrypts `count` bytes at `text` in place under `iv`, authenticating `aad` and then
    /// `trailer` first, and checks the 16-byte tag at `tag`.
    private func open(
        _ context: OpaquePointer, iv: (UInt32, UInt32, UInt32), aad: UnsafeRawBufferPointer, trailer: UnsafeRawBufferPointer?,
        text: UnsafeMutablePointer<UInt8>, count: Int, tag: UnsafeMutablePointer<UInt8>
    ) throws(SrtpError) {
        var iv = iv
        var written: Int32 = 0
        let ivSet = withUnsafeBytes(of: &iv) { bytes in
            EVP_DecryptInit_ex(context, nil, nil, nil, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self))
        }
        guard ivSet == 1 else { throw .library(status: -1) }
        try authenticate(aad, in: context)
        if let trailer { try authenticate(trailer, in: context) }
        if count > 0 {
            guard EVP_DecryptUpdate(context, text, &written, text, Int32(count)) == 1 else { throw .library(status: -1) }
        }
        guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(Self.tagLength), tag) == 1 else {
            throw .library(status: -1)
        }
        // The final call writes nothing for GCM; it checks the tag.
        var end: UInt8 = 0
        guard EVP_DecryptFinal_ex(context, &end, &written) == 1 else { throw .authenticationFailed }
    }

    /// Feeds associated data to the decryption under way in `context`.
    private func authenticate(_ bytes: UnsafeRawBufferPointer, in context: OpaquePointer) throws(SrtpError) {
        guard let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), !bytes.isEmpty else { return }
        var written: Int32 = 0
        guard EVP_DecryptUpdate(context, nil, &written, start, Int32(bytes.count)) == 1 else { throw .library(status: -1) }
    }

    /// The length of an RTP header with its CSRCs and extension (RFC 3550 §5.1, §5.3.1), or
    /// nil if it is no RTP header. The padding is not looked at: it is encrypted.
    private static func rtpHeaderLength(_ packet: UnsafeRawBufferPointer) -> Int? {
        guard packet.count >= RtpHeader.fixedLength, packet[0] >> 6 == 2 else { return nil }
        var length = RtpHeader.fixedLength + 4 * Int(packet[0] & 0x0F)
        if packet[0] & 0x10 != 0 {
            guard length + 4 <= packet.count else { return nil }
            length += 4 + 4 * (Int(packet[length + 2]) << 8 | Int(packet[length + 3]))
        }
        return length <= packet.count ? length : nil
    }

    private static func word(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }

    /// A 12-byte session salt as three big-endian words (the sender's too).
    static func words(_ salt: [UInt8]) -> (UInt32, UInt32, UInt32) {
        func word(at offset: Int) -> UInt32 {
            salt[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
        }
        return (word(at: 0), word(at: 4), word(at: 8))
    }

    private static func decryptionContext(key: [UInt8]) -> OpaquePointer? {
        guard let context = EVP_CIPHER_CTX_new() else { return nil }
        guard EVP_DecryptInit_ex(context, EVP_aes_128_gcm(), nil, key, nil) == 1 else {
            EVP_CIPHER_CTX_free(context)
            return nil
        }
        return context
    }
}
