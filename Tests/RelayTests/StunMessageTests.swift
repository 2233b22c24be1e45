import Testing
@testable import Relay

@Suite struct StunMessageTests {
    // MARK: RFC 5769 vectors

    @Test func parsesRfc5769Request() throws {
        let message = try StunMessage.parse(StunTestVectors.request)
        #expect(message.messageClass == .request)
        #expect(message.method == .binding)
        #expect(message.transactionId.bytes == StunTestVectors.transactionId)
        #expect(message.attributes == [
            .software(StunTestVectors.clientSoftware),
            .priority(0x6E00_01FF),
            .iceControlled(0x932F_F9B1_5126_3B36),
            .username(StunTestVectors.username),
            .messageIntegrity(StunTestVectors.bytes("9a eaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2")),
            .fingerprint(0xE57A_3BCF),
        ])
        #expect(message.username == "evtj:h6vY")
        #expect(message.priority == 0x6E00_01FF)
        #expect(message.iceControlled == 0x932F_F9B1_5126_3B36)
        #expect(message.iceControlling == nil)
        #expect(!message.hasUseCandidate)
        #expect(message.software == "STUN test client")
        #expect(message.unknownComprehensionRequiredTypes.isEmpty)
    }

    @Test func parsesRfc5769Ipv4Response() throws {
        let message = try StunMessage.parse(StunTestVectors.ipv4Response)
        #expect(message.messageClass == .successResponse)
        #expect(message.method == .binding)
        #expect(message.transactionId.bytes == StunTestVectors.transactionId)
        #expect(message.software == "test vector")
        #expect(message.xorMappedAddress == .ipv4(192, 0, 2, 1, port: 32853))
        #expect(message.attributes.map(\.type) == [.software, .xorMappedAddress, .messageIntegrity, .fingerprint])
        #expect(message.attribute(.fingerprint) == .fingerprint(0xC07D_4C96))
    }

    @Test func parsesRfc5769Ipv6Response() throws {
        let message = try StunMessage.parse(StunTestVectors.ipv6Response)
        #expect(message.messageClass == .successResponse)
        #expect(message.software == "test vector")
        #expect(message.xorMappedAddress == TransportAddress(ip: "2001:db8:1234:5678:11:2233:4455:6677", port: 32853))
        #expect(message.attribute(.fingerprint) == .fingerprint(0xC8FB_0B4C))
    }

    @Test func parsesRfc5769LongTermRequest() throws {
        let message = try StunMessage.parse(StunTestVectors.longTermRequest)
        #expect(message.messageClass == .request)
        #expect(message.transactionId.bytes == StunTestVectors.longTermTransactionId)
        #expect(message.username == "\u{30DE}\u{30C8}\u{30EA}\u{30C3}\u{30AF}\u{30B9}")
        #expect(message.username.map { Array($0.utf8) } == StunTestVectors.longTermUsername)
        // NONCE and REALM are for long-term credentials, which the relay does not use: opaque.
        #expect(message.attributes == [
            .username(String(decoding: StunTestVectors.longTermUsername, as: UTF8.self)),
            .other(StunAttributeType(rawValue: 0x0015), Array(StunTestVectors.longTermNonce.utf8)),
            .other(StunAttributeType(rawValue: 0x0014), Array(StunTestVectors.longTermRealm.utf8)),
            .messageIntegrity(StunTestVectors.bytes("f6702465 6dd64a3e 02b8e071 2e85c9a2 8ca89666")),
        ])
        #expect(message.unknownComprehensionRequiredTypes.map(\.rawValue) == [0x0015, 0x0014])
    }

    @Test func rebuildsRfc5769LongTermRequestByteForByte() throws {
        let message = try StunMessage.parse(StunTestVectors.longTermRequest)
        #expect(message.encoded(integrityKey: StunTestVectors.longTermKey) == StunTestVectors.longTermRequest)
    }

    /// The vectors of §2.1–2.3 pad with spaces where RFC 8489 §14 has senders write zeros, so
    /// a rebuild matches them up to MESSAGE-INTEGRITY once their padding is zeroed, and carries
    /// its own valid MESSAGE-INTEGRITY and FINGERPRINT.
    @Test(arguments: [
        (StunTestVectors.request, [73..<76], 76),
        (StunTestVectors.ipv4Response, [35..<36], 48),
        (StunTestVectors.ipv6Response, [35..<36], 60),
    ])
    func rebuildsRfc5769ShortTermVectors(_ vector: [UInt8], padding: [Range<Int>], integrityOffset: Int) throws {
        let key = Array(StunTestVectors.password.utf8)
        let message = try StunMessage.parse(vector)
        let rebuilt = message.encoded(integrityKey: key, fingerprint: true)
        #expect(rebuilt.count == vector.count)
        let zeroPadded = StunTestVectors.zeroingPadding(vector, at: padding)
        #expect(Array(rebuilt[0..<integrityOffset]) == Array(zeroPadded[0..<integrityOffset]))
        try StunMessageIntegrity.verify(rebuilt, key: key)
        try StunFingerprint.verify(rebuilt)
        let reparsed = try StunMessage.parse(rebuilt)
        #expect(reparsed.attributes.map(\.type) == message.attributes.map(\.type))
        #expect(reparsed.attributes.dropLast(2) == message.attributes.dropLast(2))
    }

    @Test func buildsTheRfc5769RequestFromItsParts() throws {
        let transactionId = try #require(StunTransactionId(bytes: StunTestVectors.transactionId))
        let message = StunMessage(
            .request, .binding, transactionId: transactionId,
            attributes: [
                .software("STUN test client"), .priority(0x6E00_01FF), .iceControlled(0x932F_F9B1_5126_3B36),
                .username("evtj:h6vY"),
            ])
        let bytes = message.encoded(integrityKey: Array(StunTestVectors.password.utf8), fingerprint: true)
        let zeroPadded = StunTestVectors.zeroingPadding(StunTestVectors.request, at: [73..<76])
        #expect(Array(bytes[0..<76]) == Array(zeroPadded[0..<76]))
        try StunMessageIntegrity.verify(bytes, key: Array(StunTestVectors.password.utf8))
    }

    // MARK: Message type

    @Test func messageTypesOfBinding() {
        #expect(StunMessage.messageType(.request, .binding) == 0x0001)
        #expect(StunMessage.messageType(.indication, .binding) == 0x0011)
        #expect(StunMessage.messageType(.successResponse, .binding) == 0x0101)
        #expect(StunMessage.messageType(.errorResponse, .binding) == 0x0111)
    }

    @Test func messageTypeRoundTripsEveryMethodAndClass() {
        for method in UInt16(0)..<0x1000 {
            for messageClass in [StunClass.request, .indication, .successResponse, .errorResponse] {
                let type = StunMessage.messageType(messageClass, StunMethod(rawValue: method))
                #expect(type & 0xC000 == 0)
                #expect(StunMessage.classOf(type) == messageClass)
                #expect(StunMessage.methodOf(type) == method)
            }
        }
    }

    // MARK: Attributes

    @Test func attributesRoundTrip() throws {
        let message = StunMessage(
            .errorResponse, .binding, transactionId: .random(),
            attributes: [
                .errorCode(code: 487, reason: "Role Conflict"),
                .unknownAttributes([StunAttributeType(rawValue: 0x0015), StunAttributeType(rawValue: 0x7FFF)]),
                .xorMappedAddress(try #require(TransportAddress(ip: "2001:db8::1", port: 9))),
                .xorMappedAddress(.ipv4(10, 0, 0, 1, port: 65535)),
                .iceControlling(.max),
                .useCandidate,
                .software("relay"),
                .other(StunAttributeType(rawValue: 0xC001), [1, 2, 3, 4, 5]),
            ])
        let bytes = message.encoded()
        #expect(bytes.count % 4 == 0)
        #expect(try StunMessage.parse(bytes) == message)
        #expect(try StunMessage.parse(bytes).errorCode?.code == 487)
    }

    @Test func errorCodeSplitsIntoClassAndNumber() throws {
        let bytes = StunMessage(
            .errorResponse, .binding, transactionId: .random(), attributes: [.errorCode(code: 401, reason: "")]
        ).encoded()
        #expect(Array(bytes[20..<28]) == [0x00, 0x09, 0x00, 0x04, 0x00, 0x00, 0x04, 0x01])
    }

    @Test func attributesAfterIntegrityAreIgnored() throws {
        var bytes = StunMessage(.request, .binding, transactionId: .random(), attributes: [.priority(7)])
            .encoded(integrityKey: [1, 2, 3])
        bytes += [0x00, 0x25, 0x00, 0x00]  // USE-CANDIDATE, unauthenticated
        bytes[3] += 4
        let message = try StunMessage.parse(bytes)
        #expect(message.attributes.map(\.type) == [.priority, .messageIntegrity])
        try StunMessageIntegrity.verify(bytes, key: [1, 2, 3])
    }

    // MARK: Username lookup

    @Test func readsTheUsernameOfARequestWithoutParsing() {
        #expect(StunMessage.requestUsername(in: StunTestVectors.request) == "evtj:h6vY")
        #expect(StunMessage.localUfrag(inRequest: StunTestVectors.request) == "evtj")
        #expect(StunMessage.requestUsername(in: StunTestVectors.ipv4Response) == nil)
        #expect(StunMessage.requestUsername(in: Array(StunTestVectors.request[0..<19])) == nil)
        #expect(StunMessage.requestUsername(in: Array(StunTestVectors.request[0..<66])) == nil)
        let noColon = StunMessage(.request, .binding, transactionId: .random(), attributes: [.username("abcd")])
        #expect(StunMessage.localUfrag(inRequest: noColon.encoded()) == nil)
    }

    // MARK: Malformed input

    static let malformed: [(name: String, bytes: [UInt8], error: StunError)] = [
        ("19 bytes", [UInt8](repeating: 0, count: 19), .truncated(length: 19)),
        ("empty", [], .truncated(length: 0)),
        ("top bit set", raw(type: 0x8001, attributes: []), .leadingBitsSet),
        ("second bit set", raw(type: 0x4001, attributes: []), .leadingBitsSet),
        ("length 3", raw(attributes: [], length: 3), .lengthNotMultipleOfFour(3)),
        ("length past end", raw(attributes: [], length: 8), .lengthPastEnd(declared: 8, available: 0)),
        ("trailing bytes", raw(attributes: [], length: 0) + [0, 0, 0, 0], .trailingBytes(count: 4)),
        ("RFC 3489 message", raw(attributes: [], cookie: 0x1234_5678), .badMagicCookie(0x1234_5678)),
        ("attribute past end", raw(attributes: [], extra: [0x00, 0x24, 0x00, 0x08, 0, 0, 0, 0]),
         .attributePastEnd(.priority)),
        ("PRIORITY of 3 bytes", raw(attributes: [(0x0024, [0, 0, 1])]), .badAttributeLength(.priority, length: 3)),
        ("USE-CANDIDATE with a value", raw(attributes: [(0x0025, [0, 0, 0, 0])]),
         .badAttributeLength(.useCandidate, length: 4)),
        ("ICE-CONTROLLED of 4 bytes", raw(attributes: [(0x8029, [1, 2, 3, 4])]),
         .badAttributeLength(.iceControlled, length: 4)),
        ("ICE-CONTROLLING of 12 bytes", raw(attributes: [(0x802A, [UInt8](repeating: 1, count: 12))]),
         .badAttributeLength(.iceControlling, length: 12)),
        ("MESSAGE-INTEGRITY of 16 bytes", raw(attributes: [(0x0008, [UInt8](repeating: 0, count: 16))]),
         .badAttributeLength(.messageIntegrity, length: 16)),
        ("FINGERPRINT of 8 bytes", raw(attributes: [(0x8028, [UInt8](repeating: 0, count: 8))]),
         .badAttributeLength(.fingerprint, length: 8)),
        ("USERNAME of 509 bytes", raw(attributes: [(0x0006, [UInt8](repeating: 0x61, count: 509))]),
         .badAttributeLength(.username, length: 509)),
        ("USERNAME not UTF-8", raw(attributes: [(0x0006, [0x61, 0xFF, 0x3A, 0x62])]), .invalidUtf8(.username)),
        ("SOFTWARE not UTF-8", raw(attributes: [(0x8022, [0xC3])]), .invalidUtf8(.software)),
        ("ERROR-CODE of 3 bytes", raw(attributes: [(0x0009, [0, 0, 4])]), .badAttributeLength(.errorCode, length: 3)),
        ("ERROR-CODE class 7", raw(attributes: [(0x0009, [0, 0, 7, 0])]), .badErrorCode(errorClass: 7, number: 0)),
        ("ERROR-CODE number 100", raw(attributes: [(0x0009, [0, 0, 4, 100])]),
         .badErrorCode(errorClass: 4, number: 100)),
        ("UNKNOWN-ATTRIBUTES of 3 bytes", raw(attributes: [(0x000A, [0, 1, 2])]),
         .badAttributeLength(.unknownAttributes, length: 3)),
        ("address family 3", raw(attributes: [(0x0020, [0, 3, 0, 1, 1, 2, 3, 4])]), .badAddressFamily(3)),
        ("IPv4 address of 16 bytes", raw(attributes: [(0x0020, [0, 1, 0, 1] + [UInt8](repeating: 0, count: 16))]),
         .badAttributeLength(.xorMappedAddress, length: 20)),
        ("IPv6 address of 4 bytes", raw(attributes: [(0x0020, [0, 2, 0, 1, 1, 2, 3, 4])]),
         .badAttributeLength(.xorMappedAddress, length: 8)),
        ("address header cut", raw(attributes: [(0x0020, [0, 1])]), .badAttributeLength(.xorMappedAddress, length: 2)),
        ("attribute after FINGERPRINT", raw(attributes: [(0x8028, [0, 0, 0, 0]), (0x0024, [0, 0, 0, 1])]),
         .attributeAfterFingerprint(.priority)),
    ]

    @Test func malformedInputsEachGetTheirOwnError() {
        for (name, bytes, error) in Self.malformed {
            #expect(throws: error, "\(name)") { try StunMessage.parse(bytes) }
        }
    }

    /// Random datagrams, and the RFC vectors with bytes changed or cut, never trap: each parses
    /// or throws, and what parses re-encodes to an equal message.
    @Test func randomAndMutatedInputNeverTraps() throws {
        var generator = StunSplitMix(seed: 0x5354_554E)
        let seeds = [
            StunTestVectors.request, StunTestVectors.ipv4Response, StunTestVectors.ipv6Response,
            StunTestVectors.longTermRequest,
        ]
        var parsed = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 4 == 0 {
                bytes = (0..<Int.random(in: 0..<64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                bytes = seeds[round % seeds.count]
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                if round % 3 == 0 { bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator))) }
            }
            _ = StunMessage.requestUsername(in: bytes)
            _ = try? StunFingerprint.verify(bytes)
            _ = try? StunMessageIntegrity.verify(bytes, key: [1])
            guard let message = try? StunMessage.parse(bytes) else { continue }
            parsed += 1
            let reencoded = try StunMessage.parse(message.encoded())
            let unauthenticated = message.attributes.filter { $0.type != .messageIntegrity && $0.type != .fingerprint }
            #expect(reencoded.attributes == unauthenticated)
        }
        #expect(parsed > 1000)
    }

    // MARK: Helpers

    /// A message from raw parts, for inputs the builder would never produce.
    static func raw(
        type: UInt16 = 0x0001, attributes: [(UInt16, [UInt8])], length: Int? = nil,
        cookie: UInt32 = 0x2112_A442, extra: [UInt8] = []
    ) -> [UInt8] {
        var body: [UInt8] = []
        for (attributeType, value) in attributes {
            body += [UInt8(attributeType >> 8), UInt8(attributeType & 0xFF), UInt8(value.count >> 8), UInt8(value.count & 0xFF)]
            body += value + [UInt8](repeating: 0, count: (4 - value.count % 4) % 4)
        }
        body += extra
        let declared = length ?? body.count
        var bytes = [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(declared >> 8), UInt8(declared & 0xFF)]
        bytes += [UInt8(cookie >> 24), UInt8(cookie >> 16 & 0xFF), UInt8(cookie >> 8 & 0xFF), UInt8(cookie & 0xFF)]
        bytes += [UInt8](repeating: 0xAB, count: 12)
        return bytes + body
    }
}

/// SplitMix64: a small seeded generator, so a failing random case can be replayed.
struct StunSplitMix: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
