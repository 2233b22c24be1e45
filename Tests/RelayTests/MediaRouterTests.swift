import DTLS
import Foundation
import RTP
import Synchronization
import Testing
@testable import Relay

@Suite struct MediaRouterTests {
    final class EventLog: Sendable {
        let events = Mutex<[RouterEvent]>([])
        func append(_ event: RouterEvent) { events.withLock { $0.append(event) } }
        var all: [RouterEvent] { events.withLock { $0 } }
    }

    struct Call {
        let router: MediaRouter
        let sink = CollectingSink()
        let log: EventLog
        let relayCertificate: DtlsCertificate
    }

    /// Unpaced unless asked: most tests hand the router bursts at one instant and look at what
    /// it forwards, not when (`MediaRouterPacingTests` look at when).
    static func makeCall(pacesVideo: Bool = false) throws -> Call {
        let certificate = try DtlsCertificate.generate()
        let log = EventLog()
        let router = MediaRouter(
            dtlsContext: try DtlsContext(role: .server, certificate: certificate), pacesVideo: pacesVideo,
            onEvent: { log.append($0) })
        return Call(router: router, log: log, relayCertificate: certificate)
    }

    /// Adds a transport for a simulated browser at `address` and connects it.
    static func join(
        _ call: Call, id: UInt64, address: TransportAddress, srtpProfiles: [SrtpProfile] = [.aeadAes128Gcm, .aes128CmHmacSha1_80]
    ) throws -> SimulatedBrowser {
        let relayCredentials = IceCredentials.random()
        let browser = try SimulatedBrowser(
            address: address, relayCredentials: relayCredentials, relayFingerprint: call.relayCertificate.fingerprint,
            srtpProfiles: srtpProfiles)
        try call.router.addTransport(
            TransportSetup(
                id: TransportID(id), localCredentials: relayCredentials, remoteCredentials: browser.credentials,
                remoteFingerprint: browser.certificate.fingerprint))
        browser.connect(through: call.router, sink: call.sink)
        return browser
    }

    /// A publisher (transport 1) sending video (track 1, SSRC 0x1111) that a subscriber
    /// (transport 2) receives as SSRC 0xABCD, payload type 96.
    static func videoCall(
        subscriberProfiles: [SrtpProfile] = [.aeadAes128Gcm, .aes128CmHmacSha1_80]
    ) throws -> (call: Call, publisher: SimulatedBrowser, subscriber: SimulatedBrowser) {
        let call = try makeCall()
        let publisher = try join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let subscriber = try join(call, id: 2, address: .ipv4(10, 0, 0, 2, port: 6000), srtpProfiles: subscriberProfiles)
        publishVideo(call, from: 1)
        call.router.subscribe(
            SubscriptionRequest(track: TrackID(1), transport: TransportID(2), ssrc: 0xABCD, payloadType: 96),
            now: Monotonic.now(), sink: call.sink)
        return (call, publisher, subscriber)
    }

    static func videoPacket(_ sequence: UInt16, ssrc: UInt32 = 0x1111) -> RtpPacket {
        RtpPacket(
            marker: sequence % 3 == 0, payloadType: 96, sequenceNumber: sequence,
            timestamp: 90_000 + UInt32(sequence / 3) * 3000, ssrc: ssrc,
            payload: [0x90, 0x80, UInt8(sequence & 0x7F)] + [UInt8](repeating: UInt8(sequence & 0xFF), count: 600))
    }

    static func publishVideo(_ call: Call, from publisher: UInt64, track: UInt64 = 1) {
        call.router.addTrack(TrackDescription(
            id: TrackID(track), transport: TransportID(publisher), kind: .video, mid: "1", ssrcs: [0x1111],
            payloadType: 96, clockRate: 90_000, midExtensionID: nil))
    }

    @Test func mediaFlowsFromPublisherToSubscriberWithRewrittenHeaders() throws {
        let call = try Self.makeCall()
        let publisher = try Self.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let subscriber = try Self.join(call, id: 2, address: .ipv4(10, 0, 0, 2, port: 6000))
        #expect(publisher.connected && subscriber.connected)
        #expect(call.log.all.contains(.transportConnected(TransportID(1))))
        #expect(call.log.all.contains(.transportConnected(TransportID(2))))

        Self.publishVideo(call, from: 1)
        call.router.subscribe(
            SubscriptionRequest(track: TrackID(1), transport: TransportID(2), ssrc: 0xABCD, payloadType: 100),
            now: Monotonic.now(), sink: call.sink)
        // The new subscriber needs a keyframe: the relay asked the publisher with a PLI.
        publisher.collect(from: call.sink)
        let plis = publisher.receivedRtcp.compactMap { try? RtcpCompound.parse($0.withUnsafeBytes { $0 }) }
        #expect(plis.contains { $0.packets.contains { if case .pictureLossIndication(let pli) = $0 { pli.mediaSsrc == 0x1111 } else { false } } })

        for sequence in UInt16(65530)...UInt16(65535) { try publisher.sendRtp(Self.videoPacket(sequence), to: call.router, sink: call.sink) }
        for sequence in UInt16(0)..<10 { try publisher.sendRtp(Self.videoPacket(sequence), to: call.router, sink: call.sink) }
        subscriber.collect(from: call.sink)

        #expect(subscriber.received.count == 16)
        let headers = try subscriber.received.map { try RtpHeader.parse($0) }
        #expect(headers.allSatisfy { $0.ssrc == 0xABCD && $0.payloadType == 100 })
        for (previous, next) in zip(headers, headers.dropFirst()) {
            #expect(next.sequenceNumber == previous.sequenceNumber &+ 1)
        }
        // The payload is untouched.
        #expect(Array(subscriber.received[7][headers[7].payloadRange]) == (try Self.videoPacket(1).bytes()).suffix(603))
        #expect(call.router.forwardedPackets == 16)
    }

    /// Payload and padding arrive as the publisher sent them behind the relay's header, for a
    /// subscriber on GCM (protected by OpenSSL's `SrtpGcmSender`) and for one on AES-CM
    /// (protected by libsrtp2), with the padding bit as sent.
    @Test func payloadAndPaddingArriveWholeOnEitherSrtpProfile() throws {
        let call = try Self.makeCall()
        let publisher = try Self.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let onGcm = try Self.join(call, id: 2, address: .ipv4(10, 0, 0, 2, port: 6000), srtpProfiles: [.aeadAes128Gcm])
        let onCm = try Self.join(call, id: 3, address: .ipv4(10, 0, 0, 3, port: 7000), srtpProfiles: [.aes128CmHmacSha1_80])
        #expect(onGcm.connected && onCm.connected)
        #expect(onGcm.outbound?.profile == .aeadAes128Gcm && onCm.outbound?.profile == .aes128CmHmacSha1_80)
        Self.publishVideo(call, from: 1)
        for (transport, ssrc) in [(UInt64(2), UInt32(0xA2)), (3, 0xA3)] {
            call.router.subscribe(
                SubscriptionRequest(track: TrackID(1), transport: TransportID(transport), ssrc: ssrc, payloadType: 96),
                now: Monotonic.now(), sink: call.sink)
        }
        let sent = (UInt16(40)..<UInt16(46)).map { sequence in
            RtpPacket(
                marker: false, payloadType: 96, sequenceNumber: sequence, timestamp: 90_000, ssrc: 0x1111,
                payload: [0x90, 0x80, UInt8(sequence)] + (0..<Int(sequence) * 11).map { UInt8(truncatingIfNeeded: $0 &* 7) },
                paddingLength: Int(sequence % 3) * 4)
        }
        for packet in sent { try publisher.sendRtp(packet, to: call.router, sink: call.sink) }
        for subscriber in [onGcm, onCm] {
            subscriber.collect(from: call.sink)
            let received = try subscriber.received.map { try RtpPacket(parsing: $0) }
            #expect(received.map(\.payload) == sent.map(\.payload))
            #expect(received.map(\.paddingLength) == sent.map(\.paddingLength))
        }
    }

    static func reports(_ datagrams: [[UInt8]]) -> [RtcpPacket] {
        datagrams.compactMap { try? RtcpCompound.parse($0.withUnsafeBytes { $0 }) }.flatMap(\.packets)
    }

    @Test func theRelaySendsReceiverReportsUpstreamAndSenderReportsDownstream() throws {
        let (call, publisher, subscriber) = try Self.videoCall()
        for sequence in UInt16(100)..<UInt16(110) where sequence != 105 {
            try publisher.sendRtp(Self.videoPacket(sequence), to: call.router, sink: call.sink)
        }
        let senderReport = RtcpSenderReport(ssrc: 0x1111, ntpTimestamp: 0xEAAA_1234_5678_0000, rtpTimestamp: 90_000, packetCount: 9, octetCount: 5427)
        try publisher.sendRtcp(try RtcpCompound(packets: [.senderReport(senderReport)]).bytes(), to: call.router, sink: call.sink)
        publisher.collect(from: call.sink)
        subscriber.collect(from: call.sink)
        publisher.receivedRtcp.removeAll()
        subscriber.receivedRtcp.removeAll()

        call.router.handleTimeout(now: Monotonic.now() + 2 * MediaRouter.reportInterval, sink: call.sink)
        publisher.collect(from: call.sink)
        subscriber.collect(from: call.sink)

        let upstream = Self.reports(publisher.receivedRtcp).compactMap { if case .receiverReport(let rr) = $0 { rr } else { nil } }
        let block = try #require(upstream.first?.reportBlocks.first)
        #expect(block.ssrc == 0x1111)
        #expect(block.extendedHighestSequenceNumber == 109)
        #expect(block.cumulativeLost == 1, "packet 105 never arrived")
        #expect(block.lastSenderReport == 0x1234_5678, "the publisher's SR is echoed, so it can measure the round trip")

        let downstream = Self.reports(subscriber.receivedRtcp).compactMap { if case .senderReport(let sr) = $0 { sr } else { nil } }
        let report = try #require(downstream.first)
        #expect(report.ssrc == 0xABCD, "reports speak of the subscriber's stream, not the publisher's")
        #expect(report.packetCount == 9)
        #expect(report.octetCount == 9 * 603)
        let unixNow = UInt64(Date().timeIntervalSince1970)
        #expect((unixNow...unixNow + 5).contains((report.ntpTimestamp >> 32) - 2_208_988_800), "NTP time is wall-clock time")
    }

    /// Without RTX, on AES-CM: resent on the media stream, the same index with the same payload
    /// is the same keystream over the same bytes, which RFC 3711 §3.3.2 lets a sender repeat.
    @Test func aNackIsAnsweredFromTheHistoryAsTheLostPacketWasFirstSent() throws {
        let (call, publisher, subscriber) = try Self.videoCall(subscriberProfiles: [.aes128CmHmacSha1_80])
        for sequence in UInt16(200)..<UInt16(210) {
            try publisher.sendRtp(Self.videoPacket(sequence), to: call.router, sink: call.sink)
        }
        // The fourth packet is lost on the way to the subscriber.
        for (index, datagram) in call.sink.take(for: subscriber.address).enumerated() where index != 3 {
            subscriber.receive(datagram)
        }
        let first = try RtpHeader.parse(try #require(subscriber.received.first))
        let lostNumber = first.sequenceNumber &+ 3
        subscriber.received.removeAll()

        let nack = RtcpGenericNack(senderSsrc: 0x5555, mediaSsrc: 0xABCD, lostSequenceNumbers: [lostNumber, lostNumber &+ 50])
        try subscriber.sendRtcp(try nack.bytes(), to: call.router, sink: call.sink)
        subscriber.collect(from: call.sink)

        #expect(subscriber.received.count == 1, "the held packet is resent; the one never sent is skipped")
        let resent = try #require(subscriber.received.first)
        let header = try RtpHeader.parse(resent)
        #expect(header.ssrc == 0xABCD && header.payloadType == 96)
        #expect(header.sequenceNumber == lostNumber)
        #expect(header.timestamp == first.timestamp &+ 3000, "source packet 203 is one frame after 200")
        #expect(Array(resent[header.payloadRange]) == Array(try Self.videoPacket(203).bytes().suffix(603)))
        #expect(call.router.retransmittedPackets == 1)
    }

    /// Without RTX, on GCM: a packet sealed twice under one IV with other header extensions
    /// would give away GCM's hash key (RFC 7714 §8.1), so the NACK goes unanswered and what
    /// follows is forwarded as before.
    @Test func withoutRtxAGcmSubscribersNackIsNotAnsweredOnTheMediaStream() throws {
        let (call, publisher, subscriber) = try Self.videoCall(subscriberProfiles: [.aeadAes128Gcm])
        for sequence in UInt16(200)..<UInt16(210) {
            try publisher.sendRtp(Self.videoPacket(sequence), to: call.router, sink: call.sink)
        }
        let sent = call.sink.take(for: subscriber.address)
        for datagram in sent { subscriber.receive(datagram) }
        let first = try RtpHeader.parse(try #require(subscriber.received.first))
        subscriber.received.removeAll()

        let nack = RtcpGenericNack(senderSsrc: 0x5555, mediaSsrc: 0xABCD, lostSequenceNumbers: [first.sequenceNumber &+ 3])
        try subscriber.sendRtcp(try nack.bytes(), to: call.router, sink: call.sink)
        let answer = call.sink.take(for: subscriber.address)
        #expect(answer.allSatisfy { DatagramKind(classifying: $0) != .rtp }, "no packet sealed again: \(answer.count) datagrams")
        #expect(call.router.retransmittedPackets == 0)

        try publisher.sendRtp(Self.videoPacket(210), to: call.router, sink: call.sink)
        subscriber.collect(from: call.sink)
        let next = try RtpHeader.parse(try #require(subscriber.received.first))
        #expect(next.sequenceNumber == first.sequenceNumber &+ 10)
    }

    @Test func keyframeRequestsReachThePublisherThrottled() throws {
        let (call, publisher, subscriber) = try Self.videoCall()
        try publisher.sendRtp(Self.videoPacket(1), to: call.router, sink: call.sink)
        publisher.collect(from: call.sink)
        publisher.receivedRtcp.removeAll()

        let pli = try RtcpPictureLossIndication(senderSsrc: 0x5555, mediaSsrc: 0xABCD).bytes()
        for _ in 0..<5 { try subscriber.sendRtcp(pli, to: call.router, sink: call.sink) }
        publisher.collect(from: call.sink)
        // Five requests inside 500 ms become at most one upstream (the subscribe PLI was just sent).
        #expect(publisher.receivedRtcp.count <= 1)
        usleep(550_000)
        try subscriber.sendRtcp(pli, to: call.router, sink: call.sink)
        publisher.collect(from: call.sink)
        let upstream = publisher.receivedRtcp.compactMap { try? RtcpCompound.parse($0.withUnsafeBytes { $0 }) }
        #expect(upstream.contains { $0.packets.contains { if case .pictureLossIndication(let p) = $0 { p.mediaSsrc == 0x1111 } else { false } } })
    }

    @Test func badInputIsDroppedAndCountedWhileMediaGoesOn() throws {
        let (call, publisher, subscriber) = try Self.videoCall()
        let router = call.router
        let stranger = TransportAddress.ipv4(10, 9, 9, 9, port: 1)

        func inject(_ bytes: [UInt8], from address: TransportAddress) {
            var copy = bytes
            copy.withUnsafeMutableBytes { router.handleDatagram($0, from: address, now: Monotonic.now(), sink: call.sink) }
        }
        // STUN without valid credentials.
        let forged = StunMessage(.request, .binding, transactionId: .random(), attributes: [
            .username("\(publisher.relayCredentials.ufrag):x"), .useCandidate,
        ]).encoded(integrityKey: Array("wrong password wrong pw".utf8), fingerprint: true)
        inject(forged, from: stranger)
        inject([0x00, 0x01, 0x00], from: stranger)
        // DTLS from an address ICE never validated.
        inject([22, 0xFE, 0xFD] + [UInt8](repeating: 0, count: 40), from: stranger)
        // SRTP with a bad tag, and a replay.
        let good = try publisher.outbound!.protectRtp(try Self.videoPacket(7).bytes())
        var tampered = good
        tampered[tampered.count - 1] ^= 0xFF
        inject(tampered, from: publisher.address)
        inject(good, from: publisher.address)
        inject(good, from: publisher.address)
        // RTP for an SSRC no track has.
        try publisher.sendRtp(Self.videoPacket(8, ssrc: 0x9999), to: router, sink: call.sink)
        // Oversized, truncated and unknown datagrams.
        inject([UInt8](repeating: 0x80, count: 1600), from: publisher.address)
        inject([0x80], from: publisher.address)
        inject([0xFF, 0xFF], from: publisher.address)
        // RTP from an address with no transport.
        inject(try Self.videoPacket(9).bytes(), from: stranger)

        #expect(router.drops[.unauthenticatedStun] >= 1)
        #expect(router.drops[.dtlsBeforeIce] == 1)
        #expect(router.drops[.srtpAuthenticationFailed] == 1)
        #expect(router.drops[.srtpReplayed] == 1)
        #expect(router.drops[.unknownSsrc] == 1)
        #expect(router.drops[.oversizedDatagram] == 1)
        #expect(router.drops[.unknownKind] >= 2)
        #expect(router.drops[.unknownSource] == 1)

        // Media still flows.
        subscriber.received.removeAll()
        subscriber.collect(from: call.sink)
        subscriber.received.removeAll()
        try publisher.sendRtp(Self.videoPacket(10), to: router, sink: call.sink)
        subscriber.collect(from: call.sink)
        #expect(subscriber.received.count == 1)
    }

    @Test func leavingCleansUpEverything() throws {
        let call = try Self.makeCall()
        let watcher = try Self.join(call, id: 1_000_000, address: .ipv4(10, 0, 1, 1, port: 7000))
        #expect(watcher.connected)

        func cycle(_ index: UInt64) throws {
            let id = 1 + index * 2
            let publisher = try Self.join(call, id: id, address: .ipv4(10, 1, UInt8(index % 200), 1, port: 5000))
            #expect(publisher.connected)
            call.router.addTrack(TrackDescription(
                id: TrackID(index), transport: TransportID(id), kind: .video, mid: "0", ssrcs: [UInt32(index + 1)],
                payloadType: 96, clockRate: 90_000, midExtensionID: nil))
            call.router.subscribe(
            SubscriptionRequest(track: TrackID(index), transport: TransportID(1_000_000), ssrc: UInt32(5000 + index), payloadType: 96),
            now: Monotonic.now(), sink: call.sink)
            try publisher.sendRtp(Self.videoPacket(1, ssrc: UInt32(index + 1)), to: call.router, sink: call.sink)
            call.router.removeTransport(TransportID(id), sink: call.sink)
            call.sink.datagrams.removeAll()
        }
        // Warm up first, so one-time allocations (OpenSSL tables, dictionary capacity) are in
        // the baseline.
        for index in UInt64(0)..<20 { try cycle(index) }
        let residentBefore = Self.trimmedResidentBytes()
        for index in UInt64(20)..<220 { try cycle(index) }
        let residentAfter = Self.trimmedResidentBytes()

        #expect(call.router.transportCount == 1)
        #expect(call.router.trackCount == 0)
        #expect(call.router.subscriptionCount == 0)
        // Each cycle allocates a DTLS session and a video track's 768 KB history: a leak of
        // either over 200 cycles is tens of megabytes. Other suites run in the same process,
        // so they are allowed 8 MB on top of 10%.
        #expect(Double(residentAfter) <= Double(residentBefore) * 1.10 + 8_000_000,
                "resident memory grew from \(residentBefore) to \(residentAfter) bytes")
    }

    /// Resident set size from /proc/self/statm, after asking the allocator to give freed
    /// memory back to the system (`malloc_trim`), so what is counted is what is still in use.
    static func trimmedResidentBytes() -> Int {
        typealias Trim = @convention(c) (Int) -> Int32
        // RTLD_DEFAULT: malloc_trim is glibc's, and Swift's Glibc module does not declare it.
        if let trim = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(trim, to: Trim.self)(0)
        }
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let pages = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

extension MediaRouterTests {
    @Test func aTransportThatCannotBeCreatedIsReportedAsClosed() throws {
        let call = try Self.makeCall()
        let browser = IceCredentials.random()
        let fingerprint = call.relayCertificate.fingerprint
        let first = TransportSetup(
            id: TransportID(9), localCredentials: .random(), remoteCredentials: browser, remoteFingerprint: fingerprint)
        call.router.execute(.openTransport(first), now: Monotonic.now(), sink: call.sink)
        #expect(call.router.transportCount == 1)
        var second = first
        second.localCredentials = .random()
        #expect(throws: TransportSetupError.duplicate(TransportID(9))) { try call.router.addTransport(second) }
        call.router.execute(.openTransport(second), now: Monotonic.now(), sink: call.sink)
        #expect(call.log.all.contains(.transportClosed(TransportID(9), .setupFailed(.duplicate(TransportID(9))))))
        #expect(call.router.transportCount == 1, "the first is kept; signaling ends the participant on the report")
    }
}

extension MediaRouterTests {
    /// A publisher of one video track (SSRC 0x1111) and a subscriber of it as SSRC 0xABCD, with
    /// its retransmissions on SSRC 0xDCBA, payload type 97.
    static func videoCallWithRetransmissions() throws -> (Call, SimulatedBrowser, SimulatedBrowser) {
        let call = try makeCall()
        let publisher = try join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let subscriber = try join(call, id: 2, address: .ipv4(10, 0, 0, 2, port: 6000))
        publishVideo(call, from: 1)
        call.router.subscribe(
            SubscriptionRequest(track: TrackID(1), transport: TransportID(2), ssrc: 0xABCD, payloadType: 96, rtx: .init(ssrc: 0xDCBA, payloadType: 97)),
            now: Monotonic.now(), sink: call.sink)
        return (call, publisher, subscriber)
    }
}

extension MediaRouterTests {
    @Test func aTransportThatNeverConnectsIsClosedAfterThirtySeconds() throws {
        let call = try Self.makeCall()
        _ = try Self.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let setup = TransportSetup(
            id: TransportID(2), localCredentials: .random(), remoteCredentials: .random(),
            remoteFingerprint: call.relayCertificate.fingerprint)
        call.router.execute(.openTransport(setup), now: Monotonic.now(), sink: call.sink)
        let start = Monotonic.now()
        #expect(call.router.nextTimeout.map { $0 <= start } == true, "a new transport is given its deadline at once")
        call.router.handleTimeout(now: start, sink: call.sink)
        call.router.handleTimeout(now: start + MediaRouter.connectTimeout - 1_000_000_000, sink: call.sink)
        #expect(call.router.transportCount == 2)
        call.router.handleTimeout(now: start + MediaRouter.connectTimeout, sink: call.sink)
        #expect(call.log.all.contains(.transportClosed(TransportID(2), .connectTimeout)))
        // Thirty silent seconds also end the connected one's consent (RFC 7675), but it was
        // never taken for a transport that did not connect.
        #expect(call.log.all.contains(.transportClosed(TransportID(1), .consentExpired)))
        #expect(!call.log.all.contains(.transportClosed(TransportID(1), .connectTimeout)))
    }
}
