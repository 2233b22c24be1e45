import Foundation
import Testing
import X509
@testable import Web

/// The HTTPS server's certificate: made once for the machine's names, kept across starts, made
/// anew before it expires, and the key readable by its owner alone.
@Suite struct HttpsCertificateTests {
    private func scratch() throws -> String {
        let directory = NSTemporaryDirectory() + "relay-https-" + UUID().uuidString + "/tls"
        return directory
    }

    @Test func aSelfSignedCertificateIsMadeOnceForTheGivenNames() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent) }
        let source = HttpsConfiguration.CertificateSource.selfSigned(directory: directory, names: ["localhost", "127.0.0.1", "::1", "relay.example"])
        let first = try HttpsCertificate.load(source)
        #expect(first.wasMade && first.isSelfSigned)
        let pem = try String(contentsOfFile: first.certificatePath, encoding: .utf8)
        let certificate = try Certificate(pemEncoded: pem)
        let names = try #require(try certificate.extensions.subjectAlternativeNames)
        #expect(Array(names) == [
            .dnsName("localhost"), .ipAddress(.init(contentBytes: [127, 0, 0, 1])),
            .ipAddress(.init(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1]))), .dnsName("relay.example"),
        ])
        #expect(first.fingerprint.split(separator: ":").count == 32)
        let keyPath = (directory as NSString).appendingPathComponent(HttpsCertificate.selfSignedKeyFile)
        let permissions = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
        #expect(permissions == 0o600)

        let second = try HttpsCertificate.load(source)
        #expect(!second.wasMade)
        #expect(second.fingerprint == first.fingerprint, "a restart keeps the certificate browsers accepted")

        // Within a month of its end it is made anew.
        let later = try HttpsCertificate.load(source, now: Date() + SelfSignedCertificate.validity - 7 * 24 * 3600)
        #expect(later.wasMade)
        #expect(later.fingerprint != first.fingerprint)
    }

    @Test func givenFilesThatAreNotACertificateAreAnError() throws {
        let directory = try scratch()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent) }
        let path = directory + "/junk.pem"
        try "not a certificate".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) {
            try HttpsCertificate.load(.files(certificate: path, privateKey: path))
        }
    }
}
