import Testing
@testable import RTP

/// Known-answer vectors: the reference packets of libsrtp's own test driver (`srtp_validate`
/// and `srtp_validate_gcm`). The AES-CM master key and salt are those of RFC 3711 Appendix B.3.
@Suite struct SrtpSessionTests {
    static let cmKeying = SrtpKeyingMaterial(
        key: hexBytes("e1f97a0d3e018be0d64fa32c06de4139"),
        salt: hexBytes("0ec675ad498afeebb6960b3aabe6"))
    static let gcmKeying = SrtpKeyingMaterial(
        key: hexBytes("000102030405060708090a0b0c0d0e0f"),
        salt: hexBytes("a0a1a2a3a4a5a6a7a8a9aaab"))

    static let rtpPlaintext = hexBytes("800f1234 decafbad cafebabe" + String(repeating: "ab", count: 16))
    static let rtcpPlaintext = hexBytes("81c8000b cafebabe" + String(repeating: "ab", count: 16))

    static let cmRtpCiphertext = hexBytes("""
        800f1234 decafbad cafebabe 4e55dc4c e79978d8 8ca4d215 949d2402 b78d6acc 99ea179b 8dbb
        """)
    static let cmRtcpCiphertext = hexBytes("""
        81c8000b cafebabe 7128035b e487b9bd bef89041 f977a5a8 80000001 993e08cd 54d6c123 0798
        """)
    static let gcmRtpCiphertext = hexBytes("""
        800f1234 decafbad cafebabe c5002ede 04cfdd2e b91159e0 880aa06e d2976826 f796b201
        df3131a1 27e8a392
        """)
    static let gcmRtcpCiphertext = hexBytes("""
        81c8000b cafebabe c98b8b5d f0392a55 852b6c21 ac8e7025 c52c6fbe a2b3b446 ea31123b
        a88ce61e 80000001
        """)

    static func pair(_ profile: SrtpProfile, _ keying: SrtpKeyingMaterial) throws -> (SrtpSession, SrtpSession) {
        (
            try SrtpSession(profile: profile, keyingMaterial: keying, direction: .outbound),
            try SrtpSession(profile: profile, keyingMaterial: keying, direction: .inbound)
        )
    }

    @Test func aesCmReferencePackets() throws {
        let (sender, receiver) = try Self.pair(.aes128CmHmacSha1_80, Self.cmKeying)
        #expect(try sender.protectRtp(Self.rtpPlaintext) == Self.cmRtpCiphertext)
        #expect(try sender.protectRtcp(Self.rtcpPlaintext) == Self.cmRtcpCiphertext)
        #expect(try receiver.unprotectRtp(Self.cmRtpCiphertext) == Self.rtpPlaintext)
        #expect(try receiver.unprotectRtcp(Self.cmRtcpCiphertext) == Self.rtcpPlaintext)
    }

    @Test func gcmReferencePackets() throws {
        let (sender, receiver) = try Self.pair(.aeadAes128Gcm, Self.gcmKeying)
        #expect(try sender.protectRtp(Self.rtpPlaintext) == Self.gcmRtpCiphertext)
        #expect(try sender.protectRtcp(Self.rtcpPlaintext) == Self.gcmRtcpCiphertext)
        #expect(try receiver.unprotectRtp(Self.gcmRtpCiphertext) == Self.rtpPlaintext)
        #expect(try receiver.unprotectRtcp(Self.gcmRtcpCiphertext) == Self.rtcpPlaintext)
    }

    @Test(arguments: [SrtpProfile.aeadAes128Gcm, .aes128CmHmacSha1_80])
    func tamperedPacketFailsAuthentication(profile: SrtpProfile) throws {
        let keying = profile == .aeadAes128Gcm ? Self.gcmKeying : Self.cmKeying
        let (sender, receiver) = try Self.pair(profile, keying)
        var protected = try sender.protectRtp(Self.rtpPlaintext)
        protected[20] ^= 0x01
        #expect(throws: SrtpError.authenticationFailed) { try receiver.unprotectRtp(protected) }

        var protectedRtcp = try sender.protectRtcp(Self.rtcpPlaintext)
        protectedRtcp[10] ^= 0x80
        #expect(throws: SrtpError.authenticationFailed) { try receiver.unprotectRtcp(protectedRtcp) }

        // The session stays usable: an untouched packet still verifies.
        var next = Self.rtpPlaintext
        next[3] = 0x35
        let good = try sender.protectRtp(next)
        #expect(try receiver.unprotectRtp(good) == next)
    }

    @Test(arguments: [SrtpProfile.aeadAes128Gcm, .aes128CmHmacSha1_80])
    func replayedPacketIsRejected(profile: SrtpProfile) throws {
        let keying = profile == .aeadAes128Gcm ? Self.gcmKeying : Self.cmKeying
        let (sender, receiver) = try Self.pair(profile, keying)
        let protected = try sender.protectRtp(Self.rtpPlaintext)
        _ = try receiver.unprotectRtp(protected)
        #expect(throws: SrtpError.replayed) { try receiver.unprotectRtp(protected) }

        let protectedRtcp = try sender.protectRtcp(Self.rtcpPlaintext)
        _ = try receiver.unprotectRtcp(protectedRtcp)
        #expect(throws: SrtpError.replayed) { try receiver.unprotectRtcp(protectedRtcp) }
    }

    @Test func newSsrcsAreAddedOnFirstUseAndReorderingWithinTheWindowIsAccepted() throws {
        let (sender, receiver) = try Self.pair(.aeadAes128Gcm, Self.gcmKeying)
        var protectedPackets: [[UInt8]] = []
        for ssrc: UInt32 in [0x1111_1111, 0x2222_2222] {
            for sequence: UInt16 in 100..<110 {
                let packet = try RtpPacket(
                    payloadType: 96, sequenceNumber: sequence, timestamp: 9000, ssrc: ssrc,
                    payload: [UInt8](repeating: UInt8(sequence & 0xFF), count: 1200)
                ).bytes()
                protectedPackets.append(try sender.protectRtp(packet))
            }
        }
        for protected in protectedPackets.reversed() {
            let plain = try receiver.unprotectRtp(protected)
            let header = try RtpHeader.parse(plain)
            #expect(plain.count == protected.count - SrtpProfile.aeadAes128Gcm.rtpOverhead)
            #expect(plain[header.payloadRange].allSatisfy { $0 == UInt8(header.sequenceNumber & 0xFF) })
        }
    }

    @Test func anInboundSessionHoldsStreamsForABoundedNumberOfSsrcs() throws {
        let (sender, receiver) = try Self.pair(.aeadAes128Gcm, Self.gcmKeying)
        func packet(_ ssrc: UInt32, _ sequence: UInt16 = 1) throws -> [UInt8] {
            try sender.protectRtp(
                RtpPacket(payloadType: 96, sequenceNumber: sequence, timestamp: 0, ssrc: ssrc, payload: [1, 2, 3]).bytes())
        }
        let limit = UInt32(SrtpSession.maximumInboundSsrcs)
        for ssrc in 1..<limit {
            _ = try receiver.unprotectRtp(try packet(ssrc))
        }
        // A forged packet of a new SSRC fails authentication and takes no place.
        var forged = try packet(9_999)
        forged[forged.count - 1] ^= 0xFF
        #expect(throws: SrtpError.authenticationFailed) { try receiver.unprotectRtp(forged) }
        _ = try receiver.unprotectRtp(try packet(limit))
        #expect(throws: SrtpError.tooManySsrcs) { try receiver.unprotectRtp(try packet(limit + 1)) }
        // SRTCP names its sender SSRC at byte 4: a new one is refused too, a known one passes.
        let report = { (ssrc: UInt32) in
            try sender.protectRtcp([0x81, 0xC8, 0x00, 0x01] + withUnsafeBytes(of: ssrc.bigEndian, Array.init))
        }
        #expect(throws: SrtpError.tooManySsrcs) { try receiver.unprotectRtcp(try report(limit + 2)) }
        _ = try receiver.unprotectRtcp(try report(1))
        // SSRCs already held keep flowing.
        _ = try receiver.unprotectRtp(try packet(1, 2))
    }

    @Test func wrongKeyFailsAuthentication() throws {
        let sender = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: Self.gcmKeying, direction: .outbound)
        var otherKeying = Self.gcmKeying
        otherKeying.key[0] ^= 0xFF
        let receiver = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: otherKeying, direction: .inbound)
        let protected = try sender.protectRtp(Self.rtpPlaintext)
        #expect(throws: SrtpError.authenticationFailed) { try receiver.unprotectRtp(protected) }
    }

    @Test func badInputGetsTypedErrors() throws {
        #expect(throws: SrtpError.badKeyLength(expectedKey: 16, expectedSalt: 12)) {
            try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: Self.cmKeying, direction: .inbound)
        }
        let (sender, receiver) = try Self.pair(.aes128CmHmacSha1_80, Self.cmKeying)
        #expect(throws: SrtpError.malformedPacket) { try receiver.unprotectRtp([0x80, 0x00, 0x01]) }
        #expect(throws: SrtpError.malformedPacket) { try receiver.unprotectRtcp([0x81, 0xC8]) }
        #expect(throws: SrtpError.malformedPacket) { try receiver.unprotectRtp([UInt8](repeating: 0x80, count: 12)) }
        var buffer = Self.rtpPlaintext
        let length = buffer.count
        #expect(throws: SrtpError.bufferTooSmall(needed: length + 10, available: length)) {
            try buffer.withUnsafeMutableBytes { raw in _ = try sender.protectRtp(raw, length: length) }
        }
    }

    @Test func protectsInPlaceInTheCallersBuffer() throws {
        let (sender, receiver) = try Self.pair(.aes128CmHmacSha1_80, Self.cmKeying)
        var buffer = Self.rtpPlaintext + [UInt8](repeating: 0, count: 64)
        let protectedLength = try buffer.withUnsafeMutableBytes { raw in
            try sender.protectRtp(raw, length: Self.rtpPlaintext.count)
        }
        #expect(Array(buffer[0..<protectedLength]) == Self.cmRtpCiphertext)
        let plainLength = try buffer.withUnsafeMutableBytes { raw in
            try receiver.unprotectRtp(raw, length: protectedLength)
        }
        #expect(Array(buffer[0..<plainLength]) == Self.rtpPlaintext)
    }
}
