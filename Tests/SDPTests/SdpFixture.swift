import DTLS
import Foundation
@testable import SDP
import Relay

/// The browser offers under Fixtures/ and the relay parameters the SDP tests share.
enum SdpFixture {
    struct Missing: Error {
        let name: String
    }

    static let names = ["chrome-offer", "chrome-offer-simulcast", "firefox-offer", "firefox-offer-simulcast", "firefox-offer-max-bundle", "aiortc-offer"]

    static func text(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "sdp", subdirectory: "Fixtures") else {
            throw Missing(name: name)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func offer(_ name: String) throws -> SessionDescription {
        try SessionDescription(parsing: text(name))
    }

    static let relayFingerprint = CertificateFingerprint(digest: Array(0..<32))

    static let relayCandidate = TransportAddress.ipv4(192, 0, 2, 10, port: 40000)

    static let relayTransport = SdpLocalTransport(
        iceUfrag: "rlyU", icePwd: "relaypasswordrelaypassword", fingerprint: relayFingerprint,
        candidates: [relayCandidate])
}
