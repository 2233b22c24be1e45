import Testing
@testable import DTLS

@Suite struct CertificateFingerprintTests {
    static let chromeValue =
        "sha-256 49:66:12:17:0D:1C:91:AE:57:4C:C6:36:DD:D5:97:D2:7D:62:C9:9A:7F:B9:A3:F4:70:03:E7:43:91:73:23:5E"

    @Test func parsesAndWritesSdpForm() throws {
        let fingerprint = try CertificateFingerprint(sdpValue: Self.chromeValue)
        #expect(fingerprint.hashFunction == "sha-256")
        #expect(fingerprint.digest.count == 32)
        #expect(fingerprint.digest.first == 0x49)
        #expect(fingerprint.digest.last == 0x5E)
        #expect(fingerprint.sdpValue == Self.chromeValue)
    }

    @Test func lowercaseHexAndFunctionAreAccepted() throws {
        let fingerprint = try CertificateFingerprint(sdpValue: Self.chromeValue.lowercased())
        #expect(fingerprint.sdpValue == Self.chromeValue)
    }

    @Test func rejectsMalformedValues() {
        #expect(throws: CertificateFingerprint.ParseError.missingHashFunction) {
            try CertificateFingerprint(sdpValue: "49:66")
        }
        #expect(throws: CertificateFingerprint.ParseError.unsupportedHashFunction("md5")) {
            try CertificateFingerprint(sdpValue: "md5 49:66")
        }
        #expect(throws: CertificateFingerprint.ParseError.malformedDigest) {
            try CertificateFingerprint(sdpValue: "sha-256 49:66:1")
        }
        #expect(throws: CertificateFingerprint.ParseError.malformedDigest) {
            try CertificateFingerprint(sdpValue: "sha-256 ZZ:66")
        }
    }
}
