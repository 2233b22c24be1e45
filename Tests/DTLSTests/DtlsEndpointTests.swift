import Testing
import RTP
@testable import DTLS

@Suite struct DtlsEndpointTests {
    struct Pair {
        let client: DtlsEndpoint
        let server: DtlsEndpoint
    }

    static func makePair(
        profiles: [SrtpProfile] = [.aeadAes128Gcm, .aes128CmHmacSha1_80],
        clientExpects: CertificateFingerprint? = nil, serverExpects: CertificateFingerprint? = nil
    ) throws -> Pair {
        let clientCertificate = try DtlsCertificate.generate(commonName: "client")
        let serverCertificate = try DtlsCertificate.generate(commonName: "server")
        let clientContext = try DtlsContext(role: .client, certificate: clientCertificate, srtpProfiles: profiles)
        let serverContext = try DtlsContext(role: .server, certificate: serverCertificate, srtpProfiles: profiles)
        let timeout: UInt64 = 10_000_000
        return Pair(
            client: try DtlsEndpoint(
                context: clientContext, remoteFingerprint: clientExpects ?? serverCertificate.fingerprint,
                initialRetransmitTimeout: timeout),
            server: try DtlsEndpoint(
                context: serverContext, remoteFingerprint: serverExpects ?? clientCertificate.fingerprint,
                initialRetransmitTimeout: timeout))
    }

    static func events(of endpoint: DtlsEndpoint) -> [DtlsEndpoint.Event] {
        var events: [DtlsEndpoint.Event] = []
        while let event = endpoint.pollEvent() { events.append(event) }
        return events
    }

    static func keys(_ events: [DtlsEndpoint.Event]) -> DtlsSrtpKeys? {
        for case .connected(let keys) in events { return keys }
        return nil
    }

    @Test(arguments: [0x5EED_0001, 0x5EED_0002, 0x5EED_0003, 0x5EED_0004] as [UInt64])
    func handshakeOverLossyReorderingLinkRecoversThroughTimeouts(seed: UInt64) throws {
        let pair = try Self.makePair()
        var link = LossyLink(seed: seed, dropProbability: 0.2, reorderProbability: 0.3)
        link.run(client: pair.client, server: pair.server)

        #expect(pair.client.state == .connected)
        #expect(pair.server.state == .connected)
        let clientKeys = try #require(Self.keys(Self.events(of: pair.client)))
        let serverKeys = try #require(Self.keys(Self.events(of: pair.server)))
        #expect(clientKeys.profile == .aeadAes128Gcm)
        #expect(clientKeys.local == serverKeys.remote)
        #expect(clientKeys.remote == serverKeys.local)
        #expect(clientKeys.local != clientKeys.remote)
    }

    @Test func theLossySeedsReallyDropAndReorder() {
        // The seeds above are only a test of recovery if the link loses datagrams under them.
        var dropped = 0
        var reordered = 0
        for seed: UInt64 in [0x5EED_0001, 0x5EED_0002, 0x5EED_0003, 0x5EED_0004] {
            guard let pair = try? Self.makePair() else { continue }
            var link = LossyLink(seed: seed, dropProbability: 0.2, reorderProbability: 0.3)
            link.run(client: pair.client, server: pair.server)
            dropped += link.dropped
            reordered += link.reordered
        }
        #expect(dropped >= 2)
        #expect(reordered >= 1)
    }

    @Test(arguments: [SrtpProfile.aeadAes128Gcm, .aes128CmHmacSha1_80])
    func negotiatedKeysCarrySrtpBothWays(profile: SrtpProfile) throws {
        let pair = try Self.makePair(profiles: [profile])
        var link = LossyLink(seed: 7, dropProbability: 0, reorderProbability: 0)
        link.run(client: pair.client, server: pair.server)
        let clientKeys = try #require(Self.keys(Self.events(of: pair.client)))
        let serverKeys = try #require(Self.keys(Self.events(of: pair.server)))
        #expect(clientKeys.profile == profile)
        #expect(serverKeys.profile == profile)
        #expect(clientKeys.local.key.count == profile.keyLength)
        #expect(clientKeys.local.salt.count == profile.saltLength)

        let packet = try RtpPacket(
            marker: true, payloadType: 111, sequenceNumber: 4242, timestamp: 960, ssrc: 0xABCD_0001,
            payload: Array(0..<200)
        ).bytes()
        let clientOut = try SrtpSession(profile: profile, keyingMaterial: clientKeys.local, direction: .outbound)
        let serverIn = try SrtpSession(profile: profile, keyingMaterial: serverKeys.remote, direction: .inbound)
        let serverOut = try SrtpSession(profile: profile, keyingMaterial: serverKeys.local, direction: .outbound)
        let clientIn = try SrtpSession(profile: profile, keyingMaterial: clientKeys.remote, direction: .inbound)

        let fromClient = try clientOut.protectRtp(packet)
        #expect(fromClient != packet)
        #expect(try serverIn.unprotectRtp(fromClient) == packet)
        let fromServer = try serverOut.protectRtp(packet)
        #expect(try clientIn.unprotectRtp(fromServer) == packet)
        // Each direction has its own key: the server cannot read its own packets as the client's.
        var next = packet
        next[3] &+= 1
        #expect(throws: SrtpError.authenticationFailed) { try serverIn.unprotectRtp(try serverOut.protectRtp(next)) }
    }

    @Test func serverRejectsClientWhoseCertificateDoesNotMatchItsFingerprint() throws {
        let impostor = try DtlsCertificate.generate(commonName: "impostor")
        let pair = try Self.makePair(serverExpects: impostor.fingerprint)
        var link = LossyLink(seed: 1, dropProbability: 0, reorderProbability: 0)
        link.run(client: pair.client, server: pair.server)

        #expect(pair.server.state == .closed)
        let serverEvents = Self.events(of: pair.server)
        guard case .closed(.fingerprintMismatch(let expected, let actual))? = serverEvents.last else {
            Issue.record("expected a fingerprint mismatch, got \(serverEvents)")
            return
        }
        #expect(expected == impostor.fingerprint)
        #expect(actual != impostor.fingerprint)
        #expect(Self.keys(serverEvents) == nil)
        // The server's alert ends the client's handshake too: neither side derives keys.
        #expect(pair.client.state == .closed)
        #expect(Self.keys(Self.events(of: pair.client)) == nil)
    }

    @Test func clientRejectsServerWhoseCertificateDoesNotMatchItsFingerprint() throws {
        let impostor = try DtlsCertificate.generate(commonName: "impostor")
        let pair = try Self.makePair(clientExpects: impostor.fingerprint)
        var link = LossyLink(seed: 2, dropProbability: 0, reorderProbability: 0)
        link.run(client: pair.client, server: pair.server)

        let clientEvents = Self.events(of: pair.client)
        guard case .closed(.fingerprintMismatch(let expected, _))? = clientEvents.last else {
            Issue.record("expected a fingerprint mismatch, got \(clientEvents)")
            return
        }
        #expect(expected == impostor.fingerprint)
        #expect(pair.server.state != .connected)
    }

    @Test func unansweredClientGivesUpWithTimeout() throws {
        let pair = try Self.makePair()
        let start = MonotonicClock.now()
        pair.client.start(now: start)
        var sent = 0
        while pair.client.state == .handshaking, MonotonicClock.now() - start < 30_000_000_000 {
            while pair.client.pollTransmit() != nil { sent += 1 }
            if let deadline = pair.client.nextTimeout { MonotonicClock.sleep(until: deadline) }
            pair.client.handleTimeout(now: MonotonicClock.now())
        }
        #expect(sent > 10, "every retransmission went out before giving up")
        #expect(pair.client.state == .closed)
        #expect(Self.events(of: pair.client) == [.closed(.handshakeTimedOut)])
    }

    @Test func garbageAndOversizedInputLeaveTheEndpointUsable() throws {
        let pair = try Self.makePair()
        #expect(throws: DtlsError.datagramTooLarge(5000)) {
            try pair.server.handleDatagram([UInt8](repeating: 22, count: 5000), now: MonotonicClock.now())
        }
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<50 {
            var junk = (0..<Int.random(in: 1..<300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            junk[0] = 22
            try? pair.server.handleDatagram(junk, now: MonotonicClock.now())
        }
        _ = Self.events(of: pair.server)
        while pair.server.pollTransmit() != nil {}
        // Junk may end the server's attempt (an alert), but never traps; a fresh server pairs fine.
        let fresh = try Self.makePair()
        var link = LossyLink(seed: 4, dropProbability: 0, reorderProbability: 0)
        link.run(client: fresh.client, server: fresh.server)
        #expect(fresh.client.state == .connected && fresh.server.state == .connected)
    }

    @Test func closeNotifyEndsThePeer() throws {
        let pair = try Self.makePair()
        var link = LossyLink(seed: 5, dropProbability: 0, reorderProbability: 0)
        link.run(client: pair.client, server: pair.server)
        _ = Self.events(of: pair.client)
        _ = Self.events(of: pair.server)
        pair.client.close()
        link.carry(from: pair.client, to: pair.server)
        #expect(pair.server.state == .closed)
        #expect(Self.events(of: pair.server) == [.closed(nil)])
    }

    @Test func flightsFitTheMtu() throws {
        let pair = try Self.makePair()
        pair.client.start(now: MonotonicClock.now())
        while let datagram = pair.client.pollTransmit() {
            try pair.server.handleDatagram(datagram, now: MonotonicClock.now())
        }
        var serverFlight: [[UInt8]] = []
        while let datagram = pair.server.pollTransmit() { serverFlight.append(datagram) }
        #expect(!serverFlight.isEmpty)
        #expect(serverFlight.allSatisfy { $0.count <= 1200 && (20...63).contains($0[0]) })
    }
}
