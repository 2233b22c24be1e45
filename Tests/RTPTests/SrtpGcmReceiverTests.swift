import Testing
@testable import RTP

/// The receiver against RFC 7714's test vectors (sections 16.1 and 17.1, 17.3, stated with the
/// session key and salt), libsrtp2's reference packets (from a master key), and libsrtp2 itself
/// on the same packets: what one accepts the other accepts, with the same bytes, and what one
/// refuses the other refuses for the same reason.
@Suite struct SrtpGcmReceiverTests {
    static let vectorKey = hexBytes("000102030405060708090a0b0c0d0e0f")
    /// "Quid pro quo".
    static let vectorSalt = hexBytes("517569642070726f2071756f")
    /// "Gallia est omnis divisa in partes tres", sequence number 0xf17b, SSRC 0x5501a0b2.
    static let vectorRtp = hexBytes("""
        8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070
        61727465 73207472 6573
        """)
    /// RFC 7714 §16.1.1.
    static let vectorSrtp = hexBytes("""
        8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a
        51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce
        """)
    /// The sender report of RFC 7714 §17, SSRC "Mars".
    static let vectorRtcp = hexBytes("""
        81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef
        deadbeef deadbeef deadbeef
        """)
    /// RFC 7714 §17.1: encrypted, SRTCP index 0x5d4.
    static let vectorSrtcp = hexBytes("""
        81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda
        4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade 800005d4
        """)
    /// RFC 7714 §17.3: authenticated only (E clear), the same index.
    static let vectorSrtcpTagOnly = hexBytes("""
        81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef
        deadbeef deadbeef deadbeef 841dd968 3dd78ec9 2ae58790 125f62b3 000005d4
        """)

    static func vectorReceiver() throws -> SrtpGcmReceiver {
        try SrtpGcmReceiver(rtpKey: vectorKey, rtpSalt: vectorSalt, rtcpKey: vectorKey, rtcpSalt: vectorSalt)
    }

    static func unprotectRtp(_ packet: [UInt8], with receiver: SrtpGcmReceiver) throws(SrtpError) -> [UInt8] {
        var copy = packet
        let length = copy.withUnsafeMutableBytes { buffer in
            Result { () throws(SrtpError) in try receiver.unprotectRtp(buffer, length: buffer.count) }
        }
        return Array(copy[0..<(try length.get())])
    }

    static func unprotectRtcp(_ packet: [UInt8], with receiver: SrtpGcmReceiver) throws(SrtpError) -> [UInt8] {
        var copy = packet
        let length = copy.withUnsafeMutableBytes { buffer in
            Result { () throws(SrtpError) in try receiver.unprotectRtcp(buffer, length: buffer.count) }
        }
        return Array(copy[0..<(try length.get())])
    }

    /// What `operation` returned or threw.
    static func outcome(_ operation: () throws(SrtpError) -> [UInt8]) -> Result<[UInt8], SrtpError> {
        do throws(SrtpError) { return .success(try operation()) } catch { return .failure(error) }
    }

    @Test func rfc7714SrtpVector() throws {
        let receiver = try Self.vectorReceiver()
        #expect(try Self.unprotectRtp(Self.vectorSrtp, with: receiver) == Self.vectorRtp)
        #expect(throws: SrtpError.replayed) { try Self.unprotectRtp(Self.vectorSrtp, with: receiver) }

        var tampered = Self.vectorSrtp
        tampered[20] ^= 0x01
        #expect(throws: SrtpError.authenticationFailed) { try Self.unprotectRtp(tampered, with: try Self.vectorReceiver()) }
        var tamperedHeader = Self.vectorSrtp
        tamperedHeader[1] ^= 0x01
        #expect(throws: SrtpError.authenticationFailed) { try Self.unprotectRtp(tamperedHeader, with: try Self.vectorReceiver()) }
        var tamperedTag = Self.vectorSrtp
        tamperedTag[tamperedTag.count - 1] ^= 0x80
        #expect(throws: SrtpError.authenticationFailed) { try Self.unprotectRtp(tamperedTag, with: try Self.vectorReceiver()) }
    }

    @Test func rfc7714SrtcpVectors() throws {
        let receiver = try Self.vectorReceiver()
        #expect(try Self.unprotectRtcp(Self.vectorSrtcp, with: receiver) == Self.vectorRtcp)
        #expect(throws: SrtpError.replayed) { try Self.unprotectRtcp(Self.vectorSrtcp, with: receiver) }
        #expect(try Self.unprotectRtcp(Self.vectorSrtcpTagOnly, with: try Self.vectorReceiver()) == Self.vectorRtcp)

        // The E flag and the index are authenticated: flipping E, or moving the index, fails.
        var flipped = Self.vectorSrtcp
        flipped[flipped.count - 4] ^= 0x80
        #expect(throws: SrtpError.authenticationFailed) { try Self.unprotectRtcp(flipped, with: try Self.vectorReceiver()) }
        var moved = Self.vectorSrtcp
        moved[moved.count - 1] ^= 0x01
        #expect(throws: SrtpError.authenticationFailed) { try Self.unprotectRtcp(moved, with: try Self.vectorReceiver()) }
    }

    /// libsrtp2's own reference packets, keyed from a master key and salt: the key derivation.
    @Test func libsrtpReferencePacketsFromTheMasterKey() throws {
        let receiver = try SrtpGcmReceiver(keyingMaterial: SrtpSessionTests.gcmKeying)
        #expect(try Self.unprotectRtp(SrtpSessionTests.gcmRtpCiphertext, with: receiver) == SrtpSessionTests.rtpPlaintext)
        #expect(try Self.unprotectRtcp(SrtpSessionTests.gcmRtcpCiphertext, with: receiver) == SrtpSessionTests.rtcpPlaintext)
    }

    @Test func refusesWhatIsNoSrtp() throws {
        let receiver = try Self.vectorReceiver()
        for bad in [[UInt8](), Array(Self.vectorSrtp.prefix(27)), [0x40] + Self.vectorSrtp.dropFirst()] {
            #expect(throws: SrtpError.malformedPacket) { try Self.unprotectRtp(bad, with: receiver) }
        }
        // An extension header longer than the packet.
        var extended = Self.vectorSrtp
        extended[0] |= 0x10
        extended[14] = 0xFF
        #expect(throws: SrtpError.malformedPacket) { try Self.unprotectRtp(extended, with: receiver) }
        #expect(throws: SrtpError.malformedPacket) { try Self.unprotectRtcp(Array(Self.vectorSrtcp.prefix(27)), with: receiver) }
        var packet = Self.vectorSrtp
        let negative = packet.withUnsafeMutableBytes { buffer in
            (Result { () throws(SrtpError) in try receiver.unprotectRtp(buffer, length: -1) },
             Result { () throws(SrtpError) in try receiver.unprotectRtcp(buffer, length: -1) })
        }
        #expect(throws: SrtpError.malformedPacket) { try negative.0.get() }
        #expect(throws: SrtpError.malformedPacket) { try negative.1.get() }
    }

    /// The same stream through libsrtp2 and the receiver: two SSRCs, header extensions, the
    /// sequence wrap (ROC 0 → 1), reordering within the window, duplicates, a packet older
    /// than the window, tampered packets; RTCP with duplicates and reordering.
    @Test func acceptsAndRefusesWhatLibsrtpDoes() throws {
        let keying = SrtpGcmSenderTests.keying
        let sender = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: keying, direction: .outbound)
        let reference = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: keying, direction: .inbound)
        let receiver = try SrtpGcmReceiver(keyingMaterial: keying)

        var protected: [UInt32: [UInt16: [UInt8]]] = [:]
        var arrivals: [[UInt8]] = []
        let sent = Array(UInt16(63_000)...UInt16(65_535)) + Array(UInt16(0)...UInt16(1_500))
        for (position, sequence) in sent.enumerated() {
            for ssrc: UInt32 in [0xCAFE_BABE, 7] {
                let packet = try sender.protectRtp(try SrtpGcmSenderTests.packet(sequence, ssrc: ssrc, extensions: position % 3 == 0))
                protected[ssrc, default: [:]][sequence] = packet
            }
        }
        for (position, sequence) in sent.enumerated() {
            for ssrc: UInt32 in [0xCAFE_BABE, 7] {
                // Swap neighbours now and then: reordering within the window.
                let swapped = position % 5 == 1 && position + 1 < sent.count ? sent[position + 1]
                    : position % 5 == 2 ? sent[position - 1] : sequence
                if let packet = protected[ssrc]?[swapped] { arrivals.append(packet) }
                if position % 97 == 0, let packet = protected[ssrc]?[sequence] { arrivals.append(packet) }
                // A forgery of a packet still to come: refused, and the packet still accepted.
                if position % 89 == 0, position + 3 < sent.count, let packet = protected[ssrc]?[sent[position + 3]] {
                    var tampered = packet
                    tampered[tampered.count - 20] ^= 0x04
                    arrivals.append(tampered)
                }
            }
        }
        // Older than the window by now, and one just inside it.
        arrivals.append(try #require(protected[7]?[200]))
        arrivals.append(try #require(protected[7]?[1_500 - 1_000]))

        var replayed = 0
        var forged = 0
        for packet in arrivals {
            let ours = Self.outcome { () throws(SrtpError) in try Self.unprotectRtp(packet, with: receiver) }
            let libsrtp = Self.outcome { () throws(SrtpError) in try reference.unprotectRtp(packet) }
            #expect(ours == libsrtp, "sequence \(UInt16(packet[2]) << 8 | UInt16(packet[3]))")
            if case .failure(.replayed) = ours { replayed += 1 }
            if case .failure(.authenticationFailed) = ours { forged += 1 }
        }
        #expect(replayed >= 2 * (sent.count / 97) + 1, "duplicates and the packet from before the window")
        #expect(forged == 2 * (sent.count / 89 + 1))

        var reports: [[UInt8]] = []
        for number in 0..<300 {
            var report = SrtpSessionTests.rtcpPlaintext
            report[8] = UInt8(truncatingIfNeeded: number)
            reports.append(try sender.protectRtcp(report))
        }
        let order = reports.indices.map { $0 % 4 == 1 ? $0 + 1 : $0 % 4 == 2 ? $0 - 1 : $0 } + [10, 299, 150]
        for index in order {
            let ours = Self.outcome { () throws(SrtpError) in try Self.unprotectRtcp(reports[index], with: receiver) }
            let libsrtp = Self.outcome { () throws(SrtpError) in try reference.unprotectRtcp(reports[index]) }
            #expect(ours == libsrtp, "report \(index)")
        }
    }

    @Test func holdsStreamsForAtMostSoManySsrcs() throws {
        let keying = SrtpGcmSenderTests.keying
        let sender = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: keying, direction: .outbound)
        let receiver = try SrtpGcmReceiver(keyingMaterial: keying)
        for ssrc in UInt32(1)...UInt32(SrtpSession.maximumInboundSsrcs) {
            _ = try Self.unprotectRtp(try sender.protectRtp(try SrtpGcmSenderTests.packet(1, ssrc: ssrc)), with: receiver)
        }
        let another = try sender.protectRtp(try SrtpGcmSenderTests.packet(1, ssrc: 0xFFFF))
        #expect(throws: SrtpError.tooManySsrcs) { try Self.unprotectRtp(another, with: receiver) }
        // The SSRCs it holds go on.
        let known = try sender.protectRtp(try SrtpGcmSenderTests.packet(2, ssrc: 1))
        #expect(try Self.unprotectRtp(known, with: receiver).count == known.count - SrtpGcmReceiver.tagLength)
    }

    /// What fails its tag leaves nothing behind: forgeries naming new SSRCs take no place among
    /// the streams held, and one far ahead of a stream moves neither its highest index nor its
    /// ROC.
    @Test func forgeriesChangeNoState() throws {
        let keying = SrtpGcmSenderTests.keying
        let sender = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: keying, direction: .outbound)
        let forger = try SrtpSession(
            profile: .aeadAes128Gcm, keyingMaterial: SrtpKeyingMaterial(key: [UInt8](repeating: 9, count: 16), salt: keying.salt),
            direction: .outbound)
        let receiver = try SrtpGcmReceiver(keyingMaterial: keying)
        for ssrc in UInt32(1_000)..<UInt32(1_100) {
            let forged = try forger.protectRtp(try SrtpGcmSenderTests.packet(1, ssrc: ssrc))
            #expect(throws: SrtpError.authenticationFailed) { try Self.unprotectRtp(forged, with: receiver) }
        }
        for ssrc in UInt32(1)...UInt32(SrtpSession.maximumInboundSsrcs) {
            _ = try Self.unprotectRtp(try sender.protectRtp(try SrtpGcmSenderTests.packet(65_000, ssrc: ssrc)), with: receiver)
        }
        // Stream 1 is at 65000, ROC 0. A forgery at 32000 ahead would, accepted, have taken it
        // past the wrap: the genuine 65535 and then 0 with ROC 1 must still open.
        let ahead = try forger.protectRtp(try SrtpGcmSenderTests.packet(31_464, ssrc: 1))
        #expect(throws: SrtpError.authenticationFailed) { try Self.unprotectRtp(ahead, with: receiver) }
        for sequence: UInt16 in [65_535, 0, 1] {
            let genuine = try sender.protectRtp(try SrtpGcmSenderTests.packet(sequence, ssrc: 1))
            #expect(try Self.unprotectRtp(genuine, with: receiver) == (try SrtpGcmSenderTests.packet(sequence, ssrc: 1)))
        }
    }
}
