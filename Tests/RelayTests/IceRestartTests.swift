import Testing
@testable import Relay

/// RFC 8445 §9 on the lite side: new credentials on both ends while the path and consent stay,
/// the old ones honoured until the peer uses the new ones, and the path free to move with them.
@Suite struct IceRestartTests {
    private static let local = IceCredentials(ufrag: "rlay", pwd: "relaypasswordrelaypassw")!
    private static let remote = IceCredentials(ufrag: "brws", pwd: "browserpasswordbrowserp")!
    private static let newLocal = IceCredentials(ufrag: "rly2", pwd: "relaysecondpasswordrela")!
    private static let newRemote = IceCredentials(ufrag: "brw2", pwd: "browsersecondpasswordbr")!
    private static let thirdLocal = IceCredentials(ufrag: "rly3", pwd: "relaythirdpasswordrelay")!
    private static let client = TransportAddress.ipv4(192, 0, 2, 10, port: 50000)
    private static let moved = TransportAddress.ipv4(198, 51, 100, 20, port: 40000)
    private static let oneSecond: UInt64 = 1_000_000_000

    /// An agent whose peer nominated `client` at time 0 with the first credentials.
    private func connectedAgent() throws -> IceLiteAgent {
        var agent = IceLiteAgent(localCredentials: Self.local, remoteCredentials: Self.remote)
        #expect(agent.handleStun(check(Self.local, Self.remote, useCandidate: true), from: Self.client, now: 0) == nil)
        let answer = agent.pollTransmit()
        _ = try #require(answer)
        while agent.pollEvent() != nil {}
        return agent
    }

    /// A browser's Binding request with these credentials (USERNAME "local:remote", signed with
    /// the local password).
    private func check(_ local: IceCredentials, _ remote: IceCredentials, useCandidate: Bool = false) -> [UInt8] {
        var attributes: [StunAttribute] = [
            .username("\(local.ufrag):\(remote.ufrag)"),
            .priority(IceCandidate.priority(type: .host, localPreference: 65535, component: 1)),
            .iceControlling(0x0123_4567_89AB_CDEF),
        ]
        if useCandidate { attributes.append(.useCandidate) }
        return StunMessage(.request, .binding, transactionId: .random(), attributes: attributes)
            .encoded(integrityKey: Array(local.pwd.utf8), fingerprint: true)
    }

    /// The one datagram the last request queued: a success response signed with `password`.
    private func expectSignedSuccess(_ agent: inout IceLiteAgent, password: String) throws {
        let next = agent.pollTransmit()
        let transmit = try #require(next)
        let extra = agent.pollTransmit()
        #expect(extra == nil)
        let message = try StunMessage.parse(transmit.bytes)
        #expect(message.messageClass == .successResponse)
        try StunMessageIntegrity.verify(transmit.bytes, key: Array(password.utf8))
    }

    @Test func theOldCredentialsHoldUntilTheNewOnesAreUsed() throws {
        var agent = try connectedAgent()
        agent.restart(local: Self.newLocal, remote: Self.newRemote)
        #expect(agent.stats.restarts == 1)
        #expect(Set(agent.acceptedUfrags) == ["rlay", "rly2"])
        // The peer has not applied the answer yet: its consent checks keep the old credentials.
        #expect(agent.handleStun(check(Self.local, Self.remote), from: Self.client, now: Self.oneSecond) == nil)
        try expectSignedSuccess(&agent, password: Self.local.pwd)
        // Then it switches; the answer is signed with the new password.
        #expect(agent.handleStun(check(Self.newLocal, Self.newRemote), from: Self.client, now: 2 * Self.oneSecond) == nil)
        try expectSignedSuccess(&agent, password: Self.newLocal.pwd)
        // From then on the old credentials are refused.
        #expect(agent.acceptedUfrags == ["rly2"])
        #expect(agent.handleStun(check(Self.local, Self.remote), from: Self.client, now: 3 * Self.oneSecond) == .unknownUsername)
        #expect(agent.selectedAddress == Self.client)
        #expect(agent.nextTimeout == 2 * Self.oneSecond + IceLiteAgent.defaultConsentTimeout)
    }

    @Test func theNewCredentialsMoveThePathToTheAddressThePeerMovedTo() throws {
        var agent = try connectedAgent()
        agent.restart(local: Self.newLocal, remote: Self.newRemote)
        #expect(agent.handleStun(check(Self.newLocal, Self.newRemote, useCandidate: true), from: Self.moved, now: Self.oneSecond) == nil)
        // Queued with the success response: the relay's own check of the new address, signed
        // with the peer's new password, before media goes there.
        let success = agent.pollTransmit()
        let response = try StunMessage.parse(try #require(success).bytes)
        #expect(response.messageClass == .successResponse)
        let transmit = agent.pollTransmit()
        let sent = try #require(transmit)
        #expect(sent.to == Self.moved)
        let request = try StunMessage.parse(sent.bytes)
        #expect(request.username == "brw2:rly2")
        try StunMessageIntegrity.verify(sent.bytes, key: Array(Self.newRemote.pwd.utf8))
        #expect(agent.selectedAddress == Self.client)
        let answer = StunMessage(.successResponse, .binding, transactionId: request.transactionId, attributes: [.xorMappedAddress(Self.moved)])
            .encoded(integrityKey: Array(Self.newRemote.pwd.utf8), fingerprint: true)
        #expect(agent.handleStun(answer, from: Self.moved, now: Self.oneSecond + 1) == nil)
        #expect(agent.selectedAddress == Self.moved)
        var events: [IceEvent] = []
        while let event = agent.pollEvent() { events.append(event) }
        #expect(events == [.validated(Self.moved), .selected(Self.moved)])
    }

    @Test func aRestartOfferedByTheRelayTakesThePeersCredentialsLater() throws {
        var agent = try connectedAgent()
        agent.restart(local: Self.newLocal, remote: nil)
        // The peer's checks can overtake its answer: any remote ufrag goes with the new local one.
        #expect(agent.handleStun(check(Self.newLocal, Self.newRemote), from: Self.client, now: Self.oneSecond) == nil)
        try expectSignedSuccess(&agent, password: Self.newLocal.pwd)
        agent.setRemoteCredentials(Self.newRemote)
        let stranger = IceCredentials(ufrag: "othr", pwd: "browsersecondpasswordbr")!
        #expect(agent.handleStun(check(Self.newLocal, stranger), from: Self.client, now: 2 * Self.oneSecond) == .unknownUsername)
    }

    @Test func aNominationThatOvertakesThePeersAnswerIsCheckedOnceThePasswordArrives() throws {
        var agent = try connectedAgent()
        agent.restart(local: Self.newLocal, remote: nil)
        #expect(agent.handleStun(check(Self.newLocal, Self.newRemote, useCandidate: true), from: Self.moved, now: Self.oneSecond) == nil)
        try expectSignedSuccess(&agent, password: Self.newLocal.pwd)
        // Nothing can be signed yet, and nothing keeps the worker awake meanwhile.
        #expect(agent.nextTimeout == IceLiteAgent.defaultConsentTimeout)
        agent.setRemoteCredentials(Self.newRemote)
        let due = try #require(agent.nextTimeout)
        #expect(due <= 2 * Self.oneSecond)
        agent.handleTimeout(now: 2 * Self.oneSecond)
        let transmit = agent.pollTransmit()
        let sent = try #require(transmit)
        #expect(sent.to == Self.moved)
        #expect(try StunMessage.parse(sent.bytes).username == "brw2:rly2")
        try StunMessageIntegrity.verify(sent.bytes, key: Array(Self.newRemote.pwd.utf8))
        #expect(agent.selectedAddress == Self.client, "until the peer answers there")
    }

    @Test func mediaFromAnotherValidatedAddressStartsAPathCheckThere() throws {
        var agent = try connectedAgent()
        // From an address no valid check came from: nothing.
        agent.mediaArrived(from: Self.moved, now: Self.oneSecond)
        let before = agent.pollTransmit()
        #expect(before == nil)
        // Validated there (a check without nomination), then media from there: the relay checks it.
        #expect(agent.handleStun(check(Self.local, Self.remote), from: Self.moved, now: Self.oneSecond) == nil)
        _ = agent.pollTransmit()
        agent.mediaArrived(from: Self.moved, now: Self.oneSecond)
        let transmit = agent.pollTransmit()
        let sent = try #require(transmit)
        #expect(sent.to == Self.moved)
        #expect(try StunMessage.parse(sent.bytes).messageClass == .request)
        #expect(agent.selectedAddress == Self.client, "until the peer answers there")
        // More media from there starts no second check.
        agent.mediaArrived(from: Self.moved, now: Self.oneSecond + 1)
        let again = agent.pollTransmit()
        #expect(again == nil)
    }

    @Test func aSecondRestartBeforeTheFirstWasUsedKeepsTheCredentialsThePeerLastUsed() throws {
        var agent = try connectedAgent()
        agent.restart(local: Self.newLocal, remote: nil)
        agent.restart(local: Self.thirdLocal, remote: nil)
        #expect(Set(agent.acceptedUfrags) == ["rlay", "rly3"])
        #expect(agent.handleStun(check(Self.local, Self.remote), from: Self.client, now: Self.oneSecond) == nil)
        try expectSignedSuccess(&agent, password: Self.local.pwd)
        #expect(agent.handleStun(check(Self.newLocal, Self.newRemote), from: Self.client, now: Self.oneSecond) == .unknownUsername)
    }

    @Test func aWrongSignatureUnderTheOldUfragIsStillRefused() throws {
        var agent = try connectedAgent()
        agent.restart(local: Self.newLocal, remote: Self.newRemote)
        // The old ufrag with the new password: the old credentials are a pair, not two halves.
        let mixed = IceCredentials(ufrag: Self.local.ufrag, pwd: Self.newLocal.pwd)!
        #expect(agent.handleStun(check(mixed, Self.remote), from: Self.client, now: Self.oneSecond) == .badIntegrity)
    }
}
