import Crypto
import Foundation
import Relay
import SwiftASN1
import X509

/// A certificate the server makes for itself when it is given none, so that HTTPS — which
/// browsers require before a page on another machine may use the camera and microphone — works
/// on first start. Browsers warn about it once; the fingerprint in the log lets a user check
/// that the certificate they accept is this server's.
struct SelfSignedCertificate {
    /// How long a made certificate is valid; it is made anew when less than `renewalMargin` is left.
    static let validity: TimeInterval = 365 * 24 * 3600
    static let renewalMargin: TimeInterval = 30 * 24 * 3600

    let certificatePEM: String
    let privateKeyPEM: String
    let notValidAfter: Date

    /// A P-256 key and a certificate for `names`: host names go in as DNS names, IPv4 and IPv6
    /// addresses as IP addresses (browsers match only the subject alternative names).
    static func make(names: [String], now: Date = Date()) throws -> SelfSignedCertificate {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            OrganizationName("Relay")
            CommonName(names.first ?? "relay")
        }
        let alternativeNames = names.map { name -> GeneralName in
            if let address = TransportAddress(ip: name, port: 0) {
                return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(address.addressBytes)))
            }
            return .dnsName(name)
        }
        let notValidAfter = now + validity
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(),
            publicKey: .init(key.publicKey), notValidBefore: now - 3600, notValidAfter: notValidAfter,
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternativeNames)
            },
            issuerPrivateKey: .init(key))
        return SelfSignedCertificate(
            certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: key.pemRepresentation,
            notValidAfter: notValidAfter)
    }

    /// The SHA-256 fingerprint of the first certificate in `pem`, as browsers show it
    /// (`AB:CD:...`).
    static func fingerprint(ofPEM pem: String) throws -> String {
        let certificate = try Certificate(pemEncoded: pem)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return SHA256.hash(data: serializer.serializedBytes).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// When the first certificate in `pem` stops being valid.
    static func notValidAfter(ofPEM pem: String) throws -> Date {
        try Certificate(pemEncoded: pem).notValidAfter
    }
}
