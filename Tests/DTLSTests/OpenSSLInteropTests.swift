import Foundation
import Testing
import RTP
@testable import DTLS

/// DTLS-SRTP handshakes on 127.0.0.1 against OpenSSL's own `s_server` and `s_client`, with
/// the keys each side exported compared byte for byte.
@Suite(.serialized) struct OpenSSLInteropTests {
    static let exportLength = 2 * (16 + 12)

    /// Moves datagrams between the endpoint and the peer's port until the handshake ends.
    static func pump(_ endpoint: DtlsEndpoint, socket: LoopbackUDPSocket, peerPort: UInt16?, seconds: Double) -> UInt16? {
        var peerPort = peerPort
        let deadline = MonotonicClock.now() + UInt64(seconds * 1e9)
        endpoint.start(now: MonotonicClock.now())
        while endpoint.state != .connected && endpoint.state != .closed && MonotonicClock.now() < deadline {
            if let port = peerPort {
                while let datagram = endpoint.pollTransmit() { socket.send(datagram, to: port) }
            }
            if let (bytes, from) = socket.receive(timeout: 20) {
                peerPort = from
                try? endpoint.handleDatagram(bytes, now: MonotonicClock.now())
            }
            endpoint.handleTimeout(now: MonotonicClock.now())
        }
        if let port = peerPort {
            while let datagram = endpoint.pollTransmit() { socket.send(datagram, to: port) }
        }
        return peerPort
    }

    static func waitForLog(_ log: URL, containing text: String, seconds: Double) -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var contents = ""
        while Date() < deadline {
            contents = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if contents.contains(text) { break }
            usleep(20_000)
        }
        return contents
    }

    static func connectedKeys(_ endpoint: DtlsEndpoint) -> DtlsSrtpKeys? {
        while let event = endpoint.pollEvent() {
            if case .connected(let keys) = event { return keys }
        }
        return nil
    }

    @Test func ourClientAgainstOpenSSLServer() throws {
        let tool = try OpenSSLTool()
        defer { tool.remove() }
        let peerFingerprint = try CertificateFingerprint(sdpValue: try tool.makeCertificate())
        let probe = try LoopbackUDPSocket()
        let serverPort = probe.port
        let (server, log) = try tool.start([
            "s_server", "-dtls1_2", "-accept", "127.0.0.1:\(serverPort)", "-cert", tool.certificatePath,
            "-key", tool.keyPath, "-use_srtp", "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80",
            "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "\(Self.exportLength)", "-verify", "1",
        ])
        // Free the port for s_server; it binds once it starts.
        _ = consume probe
        defer { OpenSSLTool.stop(server) }
        _ = Self.waitForLog(log, containing: "ACCEPT", seconds: 5)

        let certificate = try DtlsCertificate.generate()
        let endpoint = try DtlsEndpoint(
            context: try DtlsContext(role: .client, certificate: certificate),
            remoteFingerprint: peerFingerprint)
        let socket = try LoopbackUDPSocket()
        _ = Self.pump(endpoint, socket: socket, peerPort: serverPort, seconds: 10)

        #expect(endpoint.state == .connected)
        let keys = try #require(Self.connectedKeys(endpoint))
        #expect(keys.profile == .aeadAes128Gcm)
        let output = Self.waitForLog(log, containing: "Keying material:", seconds: 5)
        #expect(output.contains("SRTP Extension negotiated, profile=SRTP_AEAD_AES_128_GCM"))
        let exported = try #require(OpenSSLTool.exportedKeyingMaterial(in: output))
        // Client key | server key | client salt | server salt (RFC 5764 §4.2).
        #expect(exported == keys.local.key + keys.remote.key + keys.local.salt + keys.remote.salt)
    }

    @Test func openSSLClientAgainstOurServer() throws {
        let tool = try OpenSSLTool()
        defer { tool.remove() }
        let peerFingerprint = try CertificateFingerprint(sdpValue: try tool.makeCertificate())
        let certificate = try DtlsCertificate.generate()
        let endpoint = try DtlsEndpoint(
            context: try DtlsContext(role: .server, certificate: certificate, srtpProfiles: [.aes128CmHmacSha1_80]),
            remoteFingerprint: peerFingerprint)
        let socket = try LoopbackUDPSocket()
        let (client, log) = try tool.start([
            "s_client", "-dtls1_2", "-connect", "127.0.0.1:\(socket.port)", "-cert", tool.certificatePath,
            "-key", tool.keyPath, "-use_srtp", "SRTP_AES128_CM_SHA1_80",
            "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "\(2 * (16 + 14))",
        ])
        defer { OpenSSLTool.stop(client) }
        _ = Self.pump(endpoint, socket: socket, peerPort: nil, seconds: 10)

        #expect(endpoint.state == .connected)
        let keys = try #require(Self.connectedKeys(endpoint))
        #expect(keys.profile == .aes128CmHmacSha1_80)
        let output = Self.waitForLog(log, containing: "Keying material:", seconds: 5)
        let exported = try #require(OpenSSLTool.exportedKeyingMaterial(in: output))
        #expect(exported == keys.remote.key + keys.local.key + keys.remote.salt + keys.local.salt)
    }

    @Test func openSSLServerWithAnotherCertificateIsRefused() throws {
        let tool = try OpenSSLTool()
        defer { tool.remove() }
        _ = try tool.makeCertificate()
        let probe = try LoopbackUDPSocket()
        let serverPort = probe.port
        let (server, log) = try tool.start([
            "s_server", "-dtls1_2", "-accept", "127.0.0.1:\(serverPort)", "-cert", tool.certificatePath,
            "-key", tool.keyPath, "-use_srtp", "SRTP_AEAD_AES_128_GCM",
        ])
        _ = consume probe
        defer { OpenSSLTool.stop(server) }
        _ = Self.waitForLog(log, containing: "ACCEPT", seconds: 5)

        let expected = try DtlsCertificate.generate(commonName: "someone-else").fingerprint
        let endpoint = try DtlsEndpoint(
            context: try DtlsContext(role: .client, certificate: try DtlsCertificate.generate()),
            remoteFingerprint: expected)
        let socket = try LoopbackUDPSocket()
        _ = Self.pump(endpoint, socket: socket, peerPort: serverPort, seconds: 10)
        #expect(endpoint.state == .closed)
        var reason: DtlsError?
        while let event = endpoint.pollEvent() {
            if case .closed(let error) = event { reason = error }
        }
        guard case .fingerprintMismatch(let wanted, _)? = reason else {
            Issue.record("expected a fingerprint mismatch, got \(String(describing: reason))")
            return
        }
        #expect(wanted == expected)
    }
}
