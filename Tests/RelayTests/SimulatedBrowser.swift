import Foundation
import DTLS
import RTP
@testable import Relay

/// One browser-side peer connection built from the project's own modules: it sends ICE checks
/// with USE-CANDIDATE as a controlling agent, runs DTLS as the client and speaks SRTP. It talks
/// to a `MediaRouter` directly, with no socket: the test carries its datagrams.
final class SimulatedBrowser {
    /// Where its datagrams come from; a test moves it to change networks.
    var address: TransportAddress
    var credentials = IceCredentials.random()
    let certificate: DtlsCertificate
    let dtls: DtlsEndpoint
    var relayCredentials: IceCredentials
    var outbound: SrtpSession?
    var inbound: SrtpSession?
    var received: [[UInt8]] = []
    var receivedRtcp: [[UInt8]] = []
    var connected: Bool { outbound != nil }

    /// `srtpProfiles`: what it offers in DTLS, best first (a browser offers GCM and AES-CM).
    init(
        address: TransportAddress, relayCredentials: IceCredentials, relayFingerprint: CertificateFingerprint,
        srtpProfiles: [SrtpProfile] = [.aeadAes128Gcm, .aes128CmHmacSha1_80]
    ) throws {
        self.address = address
        self.relayCredentials = relayCredentials
        certificate = try DtlsCertificate.generate(commonName: "browser")
        dtls = try DtlsEndpoint(
            context: try DtlsContext(role: .client, certificate: certificate, srtpProfiles: srtpProfiles),
            remoteFingerprint: relayFingerprint, initialRetransmitTimeout: 20_000_000)
    }

    /// A binding request as Chrome sends it to an ICE-lite peer (RFC 8445 §7.2.2, §8.1.1).
    func bindingRequest() -> [UInt8] {
        StunMessage(.request, .binding, transactionId: .random(), attributes: [
            .username("\(relayCredentials.ufrag):\(credentials.ufrag)"),
            .priority(1_845_501_695),
            .iceControlling(0x1234_5678_9ABC_DEF0),
            .useCandidate,
        ]).encoded(integrityKey: Array(relayCredentials.pwd.utf8), fingerprint: true)
    }

    /// Connects to the router: ICE, then DTLS until both sides are keyed.
    func connect(through router: MediaRouter, sink: CollectingSink) {
        deliver(bindingRequest(), to: router, sink: sink)
        dtls.start(now: Monotonic.now())
        for _ in 0..<200 where !connected {
            while let datagram = dtls.pollTransmit() { deliver(datagram, to: router, sink: sink) }
            for datagram in sink.take(for: address) { receive(datagram) }
            if !connected {
                if let deadline = router.nextTimeout ?? dtls.nextTimeout { sleepUntil(deadline) }
                router.handleTimeout(now: Monotonic.now(), sink: sink)
                dtls.handleTimeout(now: Monotonic.now())
            }
        }
    }

    /// Hands the router one datagram from this browser, arriving now or at `time`.
    func deliver(_ bytes: [UInt8], to router: MediaRouter, sink: CollectingSink, at time: UInt64? = nil) {
        var copy = bytes
        let now = time ?? Monotonic.now()
        router.checkingDeadlines(now: now) {
            copy.withUnsafeMutableBytes { bytes in router.handleDatagram(bytes, from: address, now: now, arrival: now, sink: sink) }
        }
    }

    /// Takes a datagram the router sent this browser.
    func receive(_ datagram: [UInt8]) {
        switch DatagramKind(classifying: datagram) {
        case .dtls:
            try? dtls.handleDatagram(datagram, now: Monotonic.now())
            while let event = dtls.pollEvent() {
                if case .connected(let keys) = event {
                    outbound = try? SrtpSession(profile: keys.profile, keyingMaterial: keys.local, direction: .outbound)
                    inbound = try? SrtpSession(profile: keys.profile, keyingMaterial: keys.remote, direction: .inbound)
                }
            }
        case .rtp:
            if let plain = try? inbound?.unprotectRtp(datagram) { received.append(plain) }
        case .rtcp:
            if let plain = try? inbound?.unprotectRtcp(datagram) { receivedRtcp.append(plain) }
        default:
            break
        }
    }

    func sendRtp(_ packet: RtpPacket, to router: MediaRouter, sink: CollectingSink, at time: UInt64? = nil) throws {
        guard let outbound else { return }
        deliver(try outbound.protectRtp(try packet.bytes()), to: router, sink: sink, at: time)
    }

    func sendRtcp(_ packet: [UInt8], to router: MediaRouter, sink: CollectingSink, at time: UInt64? = nil) throws {
        guard let outbound else { return }
        deliver(try outbound.protectRtcp(packet), to: router, sink: sink, at: time)
    }

    func collect(from sink: CollectingSink) {
        for datagram in sink.take(for: address) { receive(datagram) }
    }

    private func sleepUntil(_ deadline: UInt64) {
        let now = Monotonic.now()
        if deadline > now { usleep(useconds_t(min((deadline - now) / 1000, 50_000))) }
    }
}
