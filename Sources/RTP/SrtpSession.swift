internal import CSRTP

private let libsrtpStatus: Int32 = Int32(srtp_init().rawValue)

/// One direction of SRTP and SRTCP for every SSRC of a transport, over libsrtp2 (RFC 3711,
/// RFC 7714).
///
/// An outbound session protects packets we send; an inbound session unprotects packets we
/// receive, adding a stream for each new SSRC on first use, with replay protection on, for at
/// most `maximumInboundSsrcs` SSRCs.
/// Protection works in place in the caller's buffer, which must have room for the profile's
/// overhead after the packet. Not thread-safe: a session belongs to one worker.
public final class SrtpSession {
    public enum Direction: Sendable {
        case inbound
        case outbound
    }

    /// SSRCs an inbound session keeps a libsrtp stream for. libsrtp adds one for every SSRC
    /// whose first packet authenticates, and a peer holding the keys could otherwise make it
    /// hold a replay window for each of four billion; a call page sends a few dozen at most.
    public static let maximumInboundSsrcs = 64

    public let profile: SrtpProfile
    public let direction: Direction
    private let context: srtp_t
    /// The SSRCs libsrtp holds a stream for, in a short array: a scan of a few is cheaper per
    /// packet than hashing.
    private var inboundSsrcs: ContiguousArray<UInt32> = []

    /// - Parameter replayWindow: packets tracked for replay detection; RFC 3711 §3.3.2 asks for
    ///   at least 64, and video bursts reordered by the network need more.
    public init(
        profile: SrtpProfile, keyingMaterial: SrtpKeyingMaterial, direction: Direction,
        replayWindow: Int = 1024
    ) throws(SrtpError) {
        guard keyingMaterial.key.count == profile.keyLength,
            keyingMaterial.salt.count == profile.saltLength
        else {
            throw .badKeyLength(expectedKey: profile.keyLength, expectedSalt: profile.saltLength)
        }
        guard libsrtpStatus == 0 else { throw .library(status: libsrtpStatus) }

        var policy = srtp_policy_t()
        switch profile {
        case .aeadAes128Gcm:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp)
        case .aes128CmHmacSha1_80:
            relay_srtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtp)
            relay_srtp_policy_aes_cm_128_hmac_sha1_80(&policy.rtcp)
        }
        policy.ssrc.type = direction == .inbound ? ssrc_any_inbound : ssrc_any_outbound
        policy.window_size = UInt(replayWindow)
        // A NACK answered from the send buffer repeats a sequence number with the same payload,
        // which RFC 3711 §3.3.2 permits for the sender.
        policy.allow_repeat_tx = direction == .outbound ? 1 : 0

        var master = keyingMaterial.key + keyingMaterial.salt
        var created: srtp_t?
        let status = master.withUnsafeMutableBufferPointer { masterBytes in
            policy.key = masterBytes.baseAddress
            return srtp_create(&created, &policy)
        }
        for index in master.indices { master[index] = 0 }
        guard status == srtp_err_status_ok, let created else {
            throw .library(status: Int32(status.rawValue))
        }
        self.profile = profile
        self.direction = direction
        self.context = created
    }

    deinit {
        srtp_dealloc(context)
    }

    /// Encrypts and authenticates the RTP packet in `buffer[0..<length]`; returns the new length.
    public func protectRtp(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SrtpError) -> Int {
        precondition(direction == .outbound, "protect on an inbound session")
        return try transform(buffer, length: length, overhead: profile.rtpOverhead, minimum: 12, srtp_protect)
    }

    /// Verifies and decrypts the SRTP packet in `buffer[0..<length]`; returns the new length.
    public func unprotectRtp(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SrtpError) -> Int {
        precondition(direction == .inbound, "unprotect on an outbound session")
        return try unprotect(buffer, length: length, ssrcOffset: 8, minimum: 12, srtp_unprotect)
    }

    /// Encrypts and authenticates the RTCP compound in `buffer[0..<length]`; returns the new length.
    public func protectRtcp(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SrtpError) -> Int {
        precondition(direction == .outbound, "protect on an inbound session")
        return try transform(buffer, length: length, overhead: profile.rtcpOverhead, minimum: 8, srtp_protect_rtcp)
    }

    /// Verifies and decrypts the SRTCP packet in `buffer[0..<length]`; returns the new length.
    public func unprotectRtcp(_ buffer: UnsafeMutableRawBufferPointer, length: Int) throws(SrtpError) -> Int {
        precondition(direction == .inbound, "unprotect on an outbound session")
        return try unprotect(buffer, length: length, ssrcOffset: 4, minimum: 8, srtp_unprotect_rtcp)
    }

    /// Unprotects a packet whose SSRC (in the clear at `ssrcOffset`: RFC 3711 §3.1 and §3.4)
    /// already has a stream or may get one; the SSRC counts once its first packet authenticates.
    private func unprotect(
        _ buffer: UnsafeMutableRawBufferPointer, length: Int, ssrcOffset: Int, minimum: Int,
        _ operation: (srtp_t?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int32>?) -> srtp_err_status_t
    ) throws(SrtpError) -> Int {
        guard length >= minimum, length <= buffer.count else { throw .malformedPacket }
        let ssrc = buffer.loadUnaligned(fromByteOffset: ssrcOffset, as: UInt32.self).bigEndian
        let isNew = !inboundSsrcs.contains(ssrc)
        guard !isNew || inboundSsrcs.count < Self.maximumInboundSsrcs else { throw .tooManySsrcs }
        let unprotected = try transform(buffer, length: length, overhead: 0, minimum: minimum, operation)
        if isNew { inboundSsrcs.append(ssrc) }
        return unprotected
    }

    private func transform(
        _ buffer: UnsafeMutableRawBufferPointer, length: Int, overhead: Int, minimum: Int,
        _ operation: (srtp_t?, UnsafeMutableRawPointer?, UnsafeMutablePointer<Int32>?) -> srtp_err_status_t
    ) throws(SrtpError) -> Int {
        guard length >= minimum, length <= buffer.count, let base = buffer.baseAddress else {
            throw .malformedPacket
        }
        guard buffer.count >= length + overhead else {
            throw .bufferTooSmall(needed: length + overhead, available: buffer.count)
        }
        var newLength = Int32(length)
        let status = operation(context, base, &newLength)
        switch status {
        case srtp_err_status_ok: return Int(newLength)
        case srtp_err_status_auth_fail: throw .authenticationFailed
        case srtp_err_status_replay_fail, srtp_err_status_replay_old: throw .replayed
        case srtp_err_status_bad_param, srtp_err_status_parse_err: throw .malformedPacket
        default: throw .library(status: Int32(status.rawValue))
        }
    }
}

extension SrtpSession {
    /// Protects a copy of an RTP packet.
    public func protectRtp(_ packet: [UInt8]) throws(SrtpError) -> [UInt8] {
        try copying(packet, extra: profile.rtpOverhead) { buffer, length throws(SrtpError) in
            try protectRtp(buffer, length: length)
        }
    }

    /// Unprotects a copy of an SRTP packet.
    public func unprotectRtp(_ packet: [UInt8]) throws(SrtpError) -> [UInt8] {
        try copying(packet, extra: 0) { buffer, length throws(SrtpError) in
            try unprotectRtp(buffer, length: length)
        }
    }

    /// Protects a copy of an RTCP compound packet.
    public func protectRtcp(_ packet: [UInt8]) throws(SrtpError) -> [UInt8] {
        try copying(packet, extra: profile.rtcpOverhead) { buffer, length throws(SrtpError) in
            try protectRtcp(buffer, length: length)
        }
    }

    /// Unprotects a copy of an SRTCP packet.
    public func unprotectRtcp(_ packet: [UInt8]) throws(SrtpError) -> [UInt8] {
        try copying(packet, extra: 0) { buffer, length throws(SrtpError) in
            try unprotectRtcp(buffer, length: length)
        }
    }

    private func copying(
        _ packet: [UInt8], extra: Int,
        _ body: (UnsafeMutableRawBufferPointer, Int) throws(SrtpError) -> Int
    ) throws(SrtpError) -> [UInt8] {
        var buffer = packet + [UInt8](repeating: 0, count: extra)
        let result: Result<Int, SrtpError> = buffer.withUnsafeMutableBytes { raw in
            do throws(SrtpError) { return .success(try body(raw, packet.count)) } catch {
                return .failure(error)
            }
        }
        buffer.removeLast(buffer.count - (try result.get()))
        return buffer
    }
}
