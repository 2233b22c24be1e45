import Testing
@testable import Relay

@Suite struct IceLiteAgentTests {
    private static let local = IceCredentials(ufrag: "rlay", pwd: "relaypasswordrelaypassw")!
    private static let remote = IceCredentials(ufrag: "brws", pwd: "browserpasswordbrowserp")!
    private static let client = TransportAddress.ipv4(192, 0, 2, 10, port: 50000)
    private static let second = TransportAddress(ip: "2001:db8::20", port: 50001)!
    private static let oneSecond: UInt64 = 1_000_000_000

    private func makeAgent(remote: IceCredentials? = remote, consentTimeout: UInt64 = 30 * oneSecond) -> IceLiteAgent {
        IceLiteAgent(localCredentials: Self.local, remoteCredentials: remote, consentTimeout: consentTimeout)
    }

    /// A Binding request as a browser sends it to a lite agent.
    private func browserRequest(
        username: String? = "rlay:brws", password: String? = local.pwd, useCandidate: Bool = false,
        role: StunAttribute = .iceControlling(0x0123_4567_89AB_CDEF), extra: [StunAttribute] = [],
        fingerprint: Bool = true
    ) -> (bytes: [UInt8], transactionId: StunTransactionId) {
        var attributes: [StunAttribute] = []
        if let username { attributes.append(.username(username)) }
        attributes += [.priority(IceCandidate.priority(type: .peerReflexive, localPreference: 65535, component: 1)), role]
        if useCandidate { attributes.append(.useCandidate) }
        attributes += extra
        let transactionId = StunTransactionId.random()
        let message = StunMessage(.request, .binding, transactionId: transactionId, attributes: attributes)
        return (message.encoded(integrityKey: password.map { Array($0.utf8) }, fingerprint: fingerprint), transactionId)
    }

    /// The path events, leaving out `.validated`, which `validatedAddressesAreAnnouncedOnce`
    /// checks on its own.
    private func drainEvents(_ agent: inout IceLiteAgent) -> [IceEvent] {
        var events: [IceEvent] = []
        while let event = agent.pollEvent() {
            if case .validated = event { continue }
            events.append(event)
        }
        return events
    }

    @Test func validatedAddressesAreAnnouncedOnce() throws {
        var agent = makeAgent()
        agent.handleStun(browserRequest().bytes, from: Self.client, now: 0)
        agent.handleStun(browserRequest().bytes, from: Self.client, now: 1)
        agent.handleStun(browserRequest().bytes, from: Self.second, now: 2)
        var events: [IceEvent] = []
        while let event = agent.pollEvent() { events.append(event) }
        #expect(events == [.validated(Self.client), .selected(Self.client), .validated(Self.second)])
        #expect(agent.isValidated(Self.second))
        #expect(!agent.isValidated(.ipv4(198, 51, 100, 1, port: 1)))
    }

    @Test func beforeANominationThePathFollowsTheAddressThePeerUses() throws {
        var agent = makeAgent()
        agent.handleStun(browserRequest().bytes, from: Self.client, now: 0)
        agent.handleStun(browserRequest().bytes, from: Self.second, now: 1)
        // The browser starts DTLS from the second address before nominating anything.
        agent.peerUsed(Self.second)
        #expect(agent.selectedAddress == Self.second)
        agent.peerUsed(.ipv4(198, 51, 100, 1, port: 1))
        #expect(agent.selectedAddress == Self.second, "an address no check validated is never used")

        agent.handleStun(browserRequest(useCandidate: true).bytes, from: Self.client, now: 2)
        #expect(agent.selectedAddress == Self.client)
        agent.peerUsed(Self.second)
        #expect(agent.selectedAddress == Self.client, "after a nomination only another nomination moves the path")
        #expect(drainEvents(&agent) == [.selected(Self.client), .selected(Self.second), .selected(Self.client)])
    }

    /// The single response queued by the last request, checked for FINGERPRINT and parsed.
    private func response(_ agent: inout IceLiteAgent, to destination: TransportAddress) throws -> (StunMessage, [UInt8]) {
        let next = agent.pollTransmit()
        let transmit = try #require(next)
        let extra = agent.pollTransmit()
        #expect(extra == nil)
        #expect(transmit.to == destination)
        try StunFingerprint.verify(transmit.bytes)
        return (try StunMessage.parse(transmit.bytes), transmit.bytes)
    }

    // MARK: Answering

    @Test func answersAValidRequestWithASignedSuccess() throws {
        var agent = makeAgent()
        let request = browserRequest()
        agent.handleStun(request.bytes, from: Self.client, now: 0)
        let (message, bytes) = try response(&agent, to: Self.client)
        #expect(message.messageClass == .successResponse)
        #expect(message.method == .binding)
        #expect(message.transactionId == request.transactionId)
        #expect(message.xorMappedAddress == Self.client)
        #expect(message.attributes.map(\.type) == [.xorMappedAddress, .messageIntegrity, .fingerprint])
        try StunMessageIntegrity.verify(bytes, key: Array(Self.local.pwd.utf8))
        #expect(agent.stats.successResponses == 1)
        // The first valid check gives the path an address before any nomination.
        #expect(drainEvents(&agent) == [.selected(Self.client)])
        #expect(agent.selectedAddress == Self.client)
    }

    @Test func aCheckWithoutNominationDoesNotMoveASelectedPath() throws {
        var agent = makeAgent()
        agent.handleStun(browserRequest(useCandidate: true).bytes, from: Self.client, now: 0)
        agent.handleStun(browserRequest().bytes, from: Self.second, now: 1)
        #expect(drainEvents(&agent) == [.selected(Self.client)])
        #expect(agent.selectedAddress == Self.client)
    }

    @Test func mapsAnIpv6Source() throws {
        var agent = makeAgent()
        agent.handleStun(browserRequest().bytes, from: Self.second, now: 0)
        let (message, _) = try response(&agent, to: Self.second)
        #expect(message.xorMappedAddress == Self.second)
    }

    @Test func acceptsAnyRemoteUfragUntilTheRemoteCredentialsArrive() throws {
        var agent = makeAgent(remote: nil)
        agent.handleStun(browserRequest(username: "rlay:whoever").bytes, from: Self.client, now: 0)
        #expect(try response(&agent, to: Self.client).0.messageClass == .successResponse)
        agent.setRemoteCredentials(Self.remote)
        agent.handleStun(browserRequest(username: "rlay:whoever").bytes, from: Self.client, now: 1)
        #expect(try response(&agent, to: Self.client).0.errorCode?.code == 401)
    }

    // MARK: Nomination

    @Test func useCandidateSelectsTheSourceOnce() throws {
        var agent = makeAgent()
        agent.handleStun(browserRequest(useCandidate: true).bytes, from: Self.client, now: 5)
        #expect(try response(&agent, to: Self.client).0.messageClass == .successResponse)
        #expect(drainEvents(&agent) == [.selected(Self.client)])
        #expect(agent.selectedAddress == Self.client)
        agent.handleStun(browserRequest(useCandidate: true).bytes, from: Self.client, now: 6)
        _ = try response(&agent, to: Self.client)
        #expect(drainEvents(&agent).isEmpty)
    }

    /// The relay's check of `destination` after a nomination asked to move there: the requests
    /// queued besides the success response to that nomination.
    private func pathCheck(_ agent: inout IceLiteAgent, to destination: TransportAddress) throws -> StunMessage {
        var checks: [StunMessage] = []
        while let transmit = agent.pollTransmit() {
            #expect(transmit.to == destination)
            try StunFingerprint.verify(transmit.bytes)
            let message = try StunMessage.parse(transmit.bytes)
            guard message.messageClass == .request else { continue }
            // Signed with the browser's password, named "browser-ufrag:relay-ufrag", controlled.
            try StunMessageIntegrity.verify(transmit.bytes, key: Array(Self.remote.pwd.utf8))
            #expect(message.username == "brws:rlay")
            #expect(message.iceControlled != nil)
            #expect(message.priority != nil)
            checks.append(message)
        }
        #expect(checks.count == 1)
        return try #require(checks.first)
    }

    /// The browser's answer to the relay's check, signed with `password`.
    private func answer(_ check: StunMessage, from source: TransportAddress, password: String = remote.pwd) -> [UInt8] {
        StunMessage(.successResponse, .binding, transactionId: check.transactionId, attributes: [.xorMappedAddress(source)])
            .encoded(integrityKey: Array(password.utf8), fingerprint: true)
    }

    @Test func nominationFromANewAddressMovesThePathOnceThePeerAnswersThere() throws {
        var agent = makeAgent()
        agent.handleStun(browserRequest(useCandidate: true).bytes, from: Self.client, now: 0)
        _ = try response(&agent, to: Self.client)
        #expect(drainEvents(&agent) == [.selected(Self.client)])
        // A check from the new address alone does not move the path.
        agent.handleStun(browserRequest().bytes, from: Self.second, now: 1)
        _ = try response(&agent, to: Self.second)
        #expect(drainEvents(&agent).isEmpty)
        // Its nomination does not either, until the peer answers the relay's own check there.
        agent.handleStun(browserRequest(useCandidate: true).bytes, from: Self.second, now: 2)
        let check = try pathCheck(&agent, to: Self.second)
        #expect(drainEvents(&agent).isEmpty)
        #expect(agent.selectedAddress == Self.client)
        #expect(agent.handleStun(answer(check, from: Self.second), from: Self.second, now: 3) == nil)
        #expect(drainEvents(&agent) == [.selected(Self.second)])
        #expect(agent.selectedAddress == Self.second)
        #expect(agent.nextTimeout == 3 + 30 * Self.oneSecond)
        #expect(agent.stats.pathChecks == 1)
        #expect(agent.stats.pathChecksAnswered == 1)
    }

    @Test func aReplayedNominationFromAForgedSourceNeverMovesThePath() throws {
        var agent = makeAgent()
        let nomination = browserRequest(useCandidate: true)
        agent.handleStun(nomination.bytes, from: Self.client, now: 0)
        _ = try response(&agent, to: Self.client)
        _ = drainEvents(&agent)
        // The same signed check, replayed from an address that never asked for media.
        let victim = TransportAddress.ipv4(198, 51, 100, 7, port: 9)
        agent.handleStun(nomination.bytes, from: victim, now: Self.oneSecond)
        _ = try pathCheck(&agent, to: victim)
        // Four more attempts at 200, 400, 800 and 1,600 ms; then it gives up.
        var sendTimes: [UInt64] = []
        var now = Self.oneSecond
        while let wake = agent.nextTimeout, wake < 10 * Self.oneSecond {
            now = wake
            agent.handleTimeout(now: now)
            if agent.pollTransmit() != nil { sendTimes.append(now - Self.oneSecond) }
        }
        #expect(sendTimes == [200, 600, 1_400, 3_000].map { $0 * 1_000_000 })
        #expect(agent.stats.pathChecksUnanswered == 1)
        #expect(drainEvents(&agent).isEmpty)
        #expect(agent.selectedAddress == Self.client)
        #expect(agent.nextTimeout == 30 * Self.oneSecond, "consent on the old path is still what the agent waits for")
    }

    @Test func aPathCheckAnswerFromElsewhereOrUnsignedIsRefused() throws {
        var agent = makeAgent()
        agent.handleStun(browserRequest(useCandidate: true).bytes, from: Self.client, now: 0)
        _ = try response(&agent, to: Self.client)
        agent.handleStun(browserRequest(useCandidate: true).bytes, from: Self.second, now: 1)
        let check = try pathCheck(&agent, to: Self.second)
        let third = TransportAddress.ipv4(203, 0, 113, 5, port: 4000)
        #expect(agent.handleStun(answer(check, from: third), from: third, now: 2) == .badIntegrity)
        #expect(agent.handleStun(answer(check, from: Self.second, password: Self.local.pwd), from: Self.second, now: 2) == .badIntegrity)
        #expect(agent.stats.badPathCheckAnswers == 2)
        #expect(agent.selectedAddress == Self.client)
        // Nominating the old path again ends the check: a late answer moves nothing.
        agent.handleStun(browserRequest(useCandidate: true).bytes, from: Self.client, now: 3)
        #expect(agent.handleStun(answer(check, from: Self.second), from: Self.second, now: 4) == .notBindingRequest)
        #expect(agent.selectedAddress == Self.client)
        #expect(drainEvents(&agent) == [.selected(Self.client)])
    }

    @Test func checksFromMoreAddressesThanTheLimitAreDroppedUnanswered() throws {
        var agent = makeAgent()
        let check = browserRequest()
        for port in 0..<UInt16(IceLiteAgent.maximumPeerAddresses) {
            #expect(agent.handleStun(check.bytes, from: .ipv4(198, 51, 100, 1, port: 1000 + port), now: 1) == nil)
        }
        while agent.pollTransmit() != nil {}
        let extra = TransportAddress.ipv4(198, 51, 100, 2, port: 7)
        #expect(agent.handleStun(check.bytes, from: extra, now: 2) == .tooManyAddresses)
        #expect(agent.pollTransmit() == nil)
        #expect(!agent.isValidated(extra))
        #expect(agent.stats.tooManyAddresses == 1)
        // The addresses already known keep their checks answered.
        #expect(agent.handleStun(check.bytes, from: .ipv4(198, 51, 100, 1, port: 1000), now: 3) == nil)
    }

    @Test func refusedRequestsNeverNominate() {
        var agent = makeAgent()
        agent.handleStun(browserRequest(password: "wrongpasswordwrongpassw", useCandidate: true).bytes, from: Self.client, now: 0)
        agent.handleStun(browserRequest(useCandidate: true, role: .iceControlled(1)).bytes, from: Self.client, now: 0)
        #expect(drainEvents(&agent).isEmpty)
        #expect(agent.selectedAddress == nil)
    }

    // MARK: Consent

    @Test func consentExpiresExactlyAtTheTimeout() throws {
        let timeout: UInt64 = 30 * Self.oneSecond
        var agent = makeAgent(consentTimeout: timeout)
        let start: UInt64 = 1_000
        agent.handleStun(browserRequest(useCandidate: true).bytes, from: Self.client, now: start)
        _ = try response(&agent, to: Self.client)
        #expect(drainEvents(&agent) == [.selected(Self.client)])
        #expect(agent.nextTimeout == start + timeout)

        // A consent check 10 s later pushes the deadline.
        agent.handleStun(browserRequest().bytes, from: Self.client, now: start + 10 * Self.oneSecond)
        _ = try response(&agent, to: Self.client)
        let deadline = start + 10 * Self.oneSecond + timeout
        #expect(agent.nextTimeout == deadline)
        // Checks from another address prove nothing about the selected path.
        agent.handleStun(browserRequest().bytes, from: Self.second, now: start + 20 * Self.oneSecond)
        _ = try response(&agent, to: Self.second)
        #expect(agent.nextTimeout == deadline)

        agent.handleTimeout(now: deadline - 1)
        #expect(drainEvents(&agent).isEmpty)
        agent.handleTimeout(now: deadline)
        #expect(drainEvents(&agent) == [.consentExpired])
        #expect(agent.selectedAddress == nil)
        #expect(agent.nextTimeout == nil)
        agent.handleTimeout(now: deadline + timeout)
        #expect(drainEvents(&agent).isEmpty)

        // A new nomination brings the path back.
        agent.handleStun(browserRequest(useCandidate: true).bytes, from: Self.client, now: deadline + 1)
        _ = try response(&agent, to: Self.client)
        #expect(drainEvents(&agent) == [.selected(Self.client)])
    }

    @Test func aLateRequestFindsConsentAlreadyExpired() throws {
        var agent = makeAgent(consentTimeout: 100)
        agent.handleStun(browserRequest(useCandidate: true).bytes, from: Self.client, now: 0)
        _ = try response(&agent, to: Self.client)
        _ = drainEvents(&agent)
        // No wake-up came in time; the next datagram is handled after the expiry it implies.
        agent.handleStun(browserRequest().bytes, from: Self.client, now: 100)
        _ = try response(&agent, to: Self.client)
        #expect(drainEvents(&agent) == [.consentExpired])
        #expect(agent.selectedAddress == nil)
    }

    // MARK: Refusals, each counted

    @Test func requestWithoutIntegrityGets400() throws {
        var agent = makeAgent()
        agent.handleStun(browserRequest(password: nil).bytes, from: Self.client, now: 0)
        let (message, _) = try response(&agent, to: Self.client)
        #expect(message.messageClass == .errorResponse)
        #expect(message.errorCode?.code == 400)
        #expect(message.attribute(.messageIntegrity) == nil)
        #expect(agent.stats.missingCredentials == 1)
    }

    @Test func requestWithoutUsernameGets400() throws {
        var agent = makeAgent()
        agent.handleStun(browserRequest(username: nil).bytes, from: Self.client, now: 0)
        #expect(try response(&agent, to: Self.client).0.errorCode?.code == 400)
        #expect(agent.stats.missingCredentials == 1)
    }

    @Test(arguments: ["brws:rlay", "rlay:other", "rlay", "rlayx:brws", ":brws"])
    func wrongUsernameGets401(_ username: String) throws {
        var agent = makeAgent()
        agent.handleStun(browserRequest(username: username).bytes, from: Self.client, now: 0)
        let (message, _) = try response(&agent, to: Self.client)
        #expect(message.errorCode?.code == 401)
        #expect(message.attribute(.messageIntegrity) == nil)
        #expect(agent.stats.unknownUsername == 1)
        #expect(agent.stats.successResponses == 0)
    }

    @Test func badIntegrityGets401() throws {
        var agent = makeAgent()
        // Keyed with the browser's own password: the mistake of an agent that mixes them up.
        agent.handleStun(browserRequest(password: Self.remote.pwd).bytes, from: Self.client, now: 0)
        let (message, _) = try response(&agent, to: Self.client)
        #expect(message.errorCode?.code == 401)
        #expect(agent.stats.badIntegrity == 1)
        #expect(agent.stats.successResponses == 0)
    }

    @Test func iceControlledGets487() throws {
        var agent = makeAgent()
        let request = browserRequest(useCandidate: true, role: .iceControlled(42))
        agent.handleStun(request.bytes, from: Self.client, now: 0)
        let (message, bytes) = try response(&agent, to: Self.client)
        #expect(message.errorCode?.code == 487)
        #expect(message.transactionId == request.transactionId)
        try StunMessageIntegrity.verify(bytes, key: Array(Self.local.pwd.utf8))
        #expect(agent.stats.roleConflicts == 1)
    }

    @Test func unknownComprehensionRequiredAttributeGets420() throws {
        var agent = makeAgent()
        let unknown = StunAttributeType(rawValue: 0x7ABC)
        agent.handleStun(browserRequest(extra: [.other(unknown, [1, 2, 3, 4])]).bytes, from: Self.client, now: 0)
        let (message, _) = try response(&agent, to: Self.client)
        #expect(message.errorCode?.code == 420)
        #expect(message.attribute(.unknownAttributes) == .unknownAttributes([unknown]))
        #expect(agent.stats.unknownAttributes == 1)
    }

    @Test func unknownComprehensionOptionalAttributeIsIgnored() throws {
        var agent = makeAgent()
        // Chrome's GOOG-NETWORK-INFO, for instance.
        let optional = StunAttribute.other(StunAttributeType(rawValue: 0xC057), [0, 1, 0, 10])
        agent.handleStun(browserRequest(extra: [optional]).bytes, from: Self.client, now: 0)
        #expect(try response(&agent, to: Self.client).0.messageClass == .successResponse)
    }

    @Test func missingOrBadFingerprintIsDropped() {
        var agent = makeAgent()
        agent.handleStun(browserRequest(fingerprint: false).bytes, from: Self.client, now: 0)
        var tampered = browserRequest().bytes
        tampered[tampered.count - 1] ^= 0xFF
        agent.handleStun(tampered, from: Self.client, now: 0)
        let transmit = agent.pollTransmit()
        #expect(transmit == nil)
        #expect(agent.stats.badFingerprint == 2)
    }

    @Test func unparseableDatagramsAreDropped() {
        var agent = makeAgent()
        for bytes in [[], [0x00, 0x01], Array(browserRequest().bytes.dropLast(1)), [UInt8](repeating: 0xFF, count: 40)] {
            agent.handleStun(bytes, from: Self.client, now: 0)
        }
        let transmit = agent.pollTransmit()
        #expect(transmit == nil)
        #expect(agent.stats.malformed == 4)
    }

    @Test func responsesAndIndicationsAreDropped() {
        var agent = makeAgent()
        let indication = StunMessage(.indication, .binding, transactionId: .random()).encoded(fingerprint: true)
        let success = StunMessage(.successResponse, .binding, transactionId: .random()).encoded(fingerprint: true)
        let allocate = StunMessage(.request, StunMethod(rawValue: 0x003), transactionId: .random()).encoded(fingerprint: true)
        for bytes in [indication, success, allocate] {
            agent.handleStun(bytes, from: Self.client, now: 0)
        }
        let transmit = agent.pollTransmit()
        #expect(transmit == nil)
        #expect(agent.stats.notBindingRequest == 3)
        #expect(agent.stats == {
            var expected = IceStats()
            expected.notBindingRequest = 3
            return expected
        }())
    }

    /// Anyone who learned the ufrag can send checks with a forged source: the unsigned answers
    /// are bounded, 20 at once and 10 a second after.
    @Test func unsignedRefusalsAreAnsweredAtABoundedRate() {
        var agent = makeAgent()
        for _ in 0..<100 { agent.handleStun(browserRequest(password: "wrongpasswordwrongpass").bytes, from: Self.client, now: 0) }
        var answered = 0
        while agent.pollTransmit() != nil { answered += 1 }
        #expect(answered == 20)
        #expect(agent.stats.badIntegrity == 100)
        #expect(agent.stats.unansweredRefusals == 80)
        for _ in 0..<100 {
            agent.handleStun(browserRequest(password: "wrongpasswordwrongpass").bytes, from: Self.client, now: Self.oneSecond)
        }
        answered = 0
        while agent.pollTransmit() != nil { answered += 1 }
        #expect(answered == 10)
        // A valid check is always answered, whatever came before.
        agent.handleStun(browserRequest().bytes, from: Self.client, now: Self.oneSecond)
        #expect(agent.pollTransmit() != nil)
    }
}
