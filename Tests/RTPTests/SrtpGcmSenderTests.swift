import Testing
@testable import RTP

@Suite struct SrtpGcmSenderTests {
    static let keying = SrtpKeyingMaterial(
        key: (0..<16).map { UInt8($0 &* 7 &+ 3) }, salt: (0..<12).map { UInt8($0 &* 13 &+ 1) })

    static func packet(_ sequence: UInt16, ssrc: UInt32 = 0xCAFE_BABE, extensions: Bool = false) throws -> [UInt8] {
        try RtpPacket(
            marker: sequence % 4 == 0, payloadType: 96, sequenceNumber: sequence, timestamp: 90_000 &* UInt32(sequence), ssrc: ssrc,
            csrcs: extensions ? [0x0102_0304] : [],
            extensions: extensions ? [.init(id: 1, data: [0x31]), .init(id: 2, data: [1, 2, 3])] : [],
            payload: (0..<(200 + Int(sequence % 900))).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(sequence)) }).bytes()
    }

    func protectBoth(_ packet: [UInt8], sender: SrtpGcmSender, reference: SrtpSession) throws -> (ours: [UInt8], libsrtp: [UInt8]) {
        var buffer = packet + [UInt8](repeating: 0, count: 32)
        let length = try buffer.withUnsafeMutableBytes { try sender.protectRtp($0, length: packet.count) }
        return (Array(buffer[0..<length]), try reference.protectRtp(packet))
    }

    @Test func matchesLibsrtpByteForByteAcrossTheSequenceWrapAndForLatePackets() throws {
        let sender = try SrtpGcmSender(keyingMaterial: Self.keying)
        let reference = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: Self.keying, direction: .outbound)
        // Two SSRCs, header extensions and CSRCs, the 65535 → 0 wrap (ROC 0 → 1).
        var sequences = (Array(UInt16(65_500)...UInt16(65_535)) + Array(UInt16(0)...UInt16(40))).filter { $0 != 65_530 && $0 != 3 }
        // A packet from before the wrap that comes late keeps ROC 0; one from after keeps ROC 1.
        sequences += [65_530, 3]
        for (position, sequence) in sequences.enumerated() {
            for ssrc: UInt32 in [0xCAFE_BABE, 0x0000_0001] {
                let packet = try Self.packet(sequence, ssrc: ssrc, extensions: position % 3 == 0)
                let (ours, libsrtp) = try protectBoth(packet, sender: sender, reference: reference)
                #expect(ours == libsrtp, "sequence \(sequence), SSRC \(ssrc)")
            }
        }
    }

    /// A subscriber's packets come in runs of one stream: the index of the stream protected
    /// last is kept apart from the others', and each stream's goes on across the switches.
    @Test func matchesLibsrtpForRunsOfOneStreamAcrossTheWrap() throws {
        let sender = try SrtpGcmSender(keyingMaterial: Self.keying)
        let reference = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: Self.keying, direction: .outbound)
        let run = Array(UInt16(65_520)...UInt16(65_535)) + Array(UInt16(0)...UInt16(10))
        let held: Set<UInt16> = [65_525, 4]
        let order: [(ssrc: UInt32, sequences: [UInt16])] = [
            (7, run.filter { !held.contains($0) }), (8, Array(run.prefix(5))), (7, [65_525, 11, 12]),
            (8, Array(run.dropFirst(5))), (7, [4]),
        ]
        for (ssrc, sequences) in order {
            for sequence in sequences {
                let (ours, libsrtp) = try protectBoth(try Self.packet(sequence, ssrc: ssrc), sender: sender, reference: reference)
                #expect(ours == libsrtp, "sequence \(sequence), SSRC \(ssrc)")
            }
        }
    }

    /// RFC 7714 §8.1: an IV is used once. A packet index of an SSRC is protected once, whatever
    /// the header around it (a resend with new header extensions, the same bytes again), and
    /// the refusal changes nothing for the packets after it.
    @Test func neverProtectsAnIndexTwice() throws {
        let sender = try SrtpGcmSender(keyingMaterial: Self.keying)
        let reference = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: Self.keying, direction: .outbound)
        for sequence in UInt16(65_534)...UInt16(65_535) {
            _ = try protectBoth(try Self.packet(sequence), sender: sender, reference: reference)
        }
        _ = try protectBoth(try Self.packet(0), sender: sender, reference: reference)
        for (sequence, extensions) in [(UInt16(0), false), (0, true), (65_535, true), (65_534, false)] {
            var again = try Self.packet(sequence, extensions: extensions) + [UInt8](repeating: 0, count: 16)
            let length = again.count - 16
            #expect(throws: SrtpError.replayed, "sequence \(sequence)") {
                try again.withUnsafeMutableBytes { try sender.protectRtp($0, length: length) }
            }
        }
        // The same sequence number on another SSRC is another IV.
        let (other, otherReference) = try protectBoth(try Self.packet(0, ssrc: 9), sender: sender, reference: reference)
        #expect(other == otherReference)
        // Never protected, but further back than the window can tell: refused too, rather than
        // guessed unused.
        var ancient = try Self.packet(65_533) + [UInt8](repeating: 0, count: 16)
        let ancientLength = ancient.count - 16
        for sequence in UInt16(1)...UInt16(ReplayWindow.size + 1) {
            _ = try protectBoth(try Self.packet(sequence), sender: sender, reference: reference)
        }
        #expect(throws: SrtpError.replayed) {
            try ancient.withUnsafeMutableBytes { try sender.protectRtp($0, length: ancientLength) }
        }
        let (next, nextReference) = try protectBoth(try Self.packet(UInt16(ReplayWindow.size + 2)), sender: sender, reference: reference)
        #expect(next == nextReference, "ROC 1 goes on after the refusals")
    }

    @Test func whatItProtectsLibsrtpUnprotects() throws {
        let sender = try SrtpGcmSender(keyingMaterial: Self.keying)
        let receiver = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: Self.keying, direction: .inbound)
        for sequence in UInt16(10)..<UInt16(20) {
            let packet = try Self.packet(sequence)
            var buffer = packet + [UInt8](repeating: 0, count: 16)
            let length = try buffer.withUnsafeMutableBytes { try sender.protectRtp($0, length: packet.count) }
            #expect(try receiver.unprotectRtp(Array(buffer[0..<length])) == packet)
        }
    }

    @Test func refusesWhatItCannotProtect() throws {
        let sender = try SrtpGcmSender(keyingMaterial: Self.keying)
        var tooSmall = try Self.packet(1)
        #expect(throws: SrtpError.malformedPacket) {
            try tooSmall.withUnsafeMutableBytes { try sender.protectRtp($0, length: $0.count) }
        }
        var notRtp = [UInt8](repeating: 0, count: 64)
        #expect(throws: SrtpError.malformedPacket) {
            try notRtp.withUnsafeMutableBytes { try sender.protectRtp($0, length: 8) }
        }
        #expect(throws: SrtpError.badKeyLength(expectedKey: 16, expectedSalt: 12)) {
            try SrtpGcmSender(keyingMaterial: SrtpKeyingMaterial(key: [1], salt: [2]))
        }
    }
}
