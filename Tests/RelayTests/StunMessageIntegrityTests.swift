import Testing
@testable import Relay

@Suite struct StunMessageIntegrityTests {
    private let shortTermKey = Array(StunTestVectors.password.utf8)

    @Test(arguments: [StunTestVectors.request, StunTestVectors.ipv4Response, StunTestVectors.ipv6Response])
    func rfc5769ShortTermVectorsVerify(_ vector: [UInt8]) throws {
        _ = try StunMessage.parse(vector)
        try StunMessageIntegrity.verify(vector, key: shortTermKey)
    }

    @Test func rfc5769LongTermVectorVerifiesWithTheMd5Key() throws {
        _ = try StunMessage.parse(StunTestVectors.longTermRequest)
        #expect(StunTestVectors.longTermKey.count == 16)
        try StunMessageIntegrity.verify(StunTestVectors.longTermRequest, key: StunTestVectors.longTermKey)
        // Hashing the password before SASLprep gives another key, which fails.
        let unprepared = StunTestVectors.md5(
            StunTestVectors.longTermUsername
                + Array(":\(StunTestVectors.longTermRealm):\(StunTestVectors.longTermPassword)".utf8))
        #expect(throws: StunError.integrityMismatch) {
            try StunMessageIntegrity.verify(StunTestVectors.longTermRequest, key: unprepared)
        }
    }

    @Test func wrongKeyIsRejected() {
        #expect(throws: StunError.integrityMismatch) {
            try StunMessageIntegrity.verify(StunTestVectors.request, key: Array("VOkJxbRl1RmTxUk/WvJxBT".utf8))
        }
        #expect(throws: StunError.integrityMismatch) {
            try StunMessageIntegrity.verify(StunTestVectors.request, key: [])
        }
    }

    @Test func everyAuthenticatedByteIsCovered() {
        // Every byte before the HMAC value changes it, except the length field, which the HMAC
        // covers rewritten (RFC 8489 §14.5) and which parsing checks.
        for index in 0..<80 where index != 2 && index != 3 {
            var tampered = StunTestVectors.request
            tampered[index] ^= 0x01
            #expect(throws: StunError.self, "byte \(index)") {
                try StunMessageIntegrity.verify(tampered, key: shortTermKey)
            }
        }
    }

    @Test func tamperedMacIsRejected() {
        var tampered = StunTestVectors.ipv4Response
        tampered[60] ^= 0x80
        #expect(throws: StunError.integrityMismatch) {
            try StunMessageIntegrity.verify(tampered, key: shortTermKey)
        }
    }

    @Test func messageWithoutIntegrityIsRejected() {
        let bytes = StunMessage(.request, .binding, transactionId: .random(), attributes: [.priority(1)])
            .encoded(fingerprint: true)
        #expect(throws: StunError.missingIntegrity) {
            try StunMessageIntegrity.verify(bytes, key: shortTermKey)
        }
    }

    @Test func builtMessagesVerifyAndFingerprintDoesNotDisturbIntegrity() throws {
        let message = StunMessage(
            .request, .binding, transactionId: .random(), attributes: [.username("a:b"), .useCandidate])
        let withFingerprint = message.encoded(integrityKey: shortTermKey, fingerprint: true)
        let without = message.encoded(integrityKey: shortTermKey)
        #expect(Array(withFingerprint[4..<without.count]) == Array(without[4...]))
        try StunMessageIntegrity.verify(withFingerprint, key: shortTermKey)
        try StunMessageIntegrity.verify(without, key: shortTermKey)
        try StunFingerprint.verify(withFingerprint)
    }
}

@Suite struct StunFingerprintTests {
    @Test(arguments: [StunTestVectors.request, StunTestVectors.ipv4Response, StunTestVectors.ipv6Response])
    func rfc5769VectorsVerify(_ vector: [UInt8]) throws {
        try StunFingerprint.verify(vector)
    }

    @Test func tamperedFingerprintIsRejected() {
        var tampered = StunTestVectors.request
        tampered[tampered.count - 1] ^= 0x01
        #expect(throws: StunError.fingerprintMismatch) { try StunFingerprint.verify(tampered) }
    }

    @Test func tamperedBodyIsRejected() {
        var tampered = StunTestVectors.ipv6Response
        tampered[45] ^= 0x10
        #expect(throws: StunError.fingerprintMismatch) { try StunFingerprint.verify(tampered) }
    }

    @Test func messageWithoutFingerprintIsRejected() {
        #expect(throws: StunError.missingFingerprint) {
            try StunFingerprint.verify(StunTestVectors.longTermRequest)
        }
    }
}
