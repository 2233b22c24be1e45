import Foundation
import NIOSSL

/// The certificate and key the HTTPS server shows, read from PEM files — the operator's, or
/// the ones the server made for itself — as a TLS configuration for the server.
struct HttpsCertificate {
    static let selfSignedCertificateFile = "https-certificate.pem"
    static let selfSignedKeyFile = "https-key.pem"

    let tls: TLSConfiguration
    let certificatePath: String
    /// SHA-256 of the leaf certificate, `AB:CD:...`.
    let fingerprint: String
    /// Whether the server made this certificate for itself, now or on an earlier start.
    let isSelfSigned: Bool
    /// Whether it was made by this call.
    let wasMade: Bool

    /// Reads the certificate `source` names; a self-signed one is made first when its files are
    /// missing or it expires within `SelfSignedCertificate.renewalMargin`.
    static func load(_ source: HttpsConfiguration.CertificateSource, now: Date = Date()) throws -> HttpsCertificate {
        switch source {
        case .files(let certificate, let privateKey):
            return try read(certificate: certificate, privateKey: privateKey, isSelfSigned: false, wasMade: false)
        case .selfSigned(let directory, let names):
            let certificate = (directory as NSString).appendingPathComponent(selfSignedCertificateFile)
            let privateKey = (directory as NSString).appendingPathComponent(selfSignedKeyFile)
            let current = try? String(contentsOfFile: certificate, encoding: .utf8)
            let usable = current.flatMap { try? SelfSignedCertificate.notValidAfter(ofPEM: $0) }
                .map { $0 > now + SelfSignedCertificate.renewalMargin } ?? false
            let wasMade = !usable || !FileManager.default.fileExists(atPath: privateKey)
            if wasMade {
                let made = try SelfSignedCertificate.make(names: names, now: now)
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                // The key first and private from the start: no moment where others could read it.
                try write(made.privateKeyPEM, to: privateKey, permissions: 0o600)
                try write(made.certificatePEM, to: certificate, permissions: 0o644)
            }
            return try read(certificate: certificate, privateKey: privateKey, isSelfSigned: true, wasMade: wasMade)
        }
    }

    /// Reads the files `source` names again, as they are now (SIGHUP): nothing is made, so a
    /// certificate put in place of a self-signed one is served, not replaced.
    static func reload(_ source: HttpsConfiguration.CertificateSource) throws -> HttpsCertificate {
        switch source {
        case .files(let certificate, let privateKey):
            return try read(certificate: certificate, privateKey: privateKey, isSelfSigned: false, wasMade: false)
        case .selfSigned(let directory, _):
            return try read(
                certificate: (directory as NSString).appendingPathComponent(selfSignedCertificateFile),
                privateKey: (directory as NSString).appendingPathComponent(selfSignedKeyFile), isSelfSigned: true, wasMade: false)
        }
    }

    private static func read(certificate: String, privateKey: String, isSelfSigned: Bool, wasMade: Bool) throws -> HttpsCertificate {
        let chain = try NIOSSLCertificate.fromPEMFile(certificate)
        let key = try NIOSSLPrivateKey(file: privateKey, format: .pem)
        guard !chain.isEmpty else { throw HttpsCertificateError.noCertificate(certificate) }
        let pem = try String(contentsOfFile: certificate, encoding: .utf8)
        return HttpsCertificate(
            tls: .makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)),
            certificatePath: certificate, fingerprint: try SelfSignedCertificate.fingerprint(ofPEM: pem),
            isSelfSigned: isSelfSigned, wasMade: wasMade)
    }

    private static func write(_ text: String, to path: String, permissions: Int) throws {
        let temporary = path + ".new"
        guard FileManager.default.createFile(
            atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: permissions]),
            rename(temporary, path) == 0
        else { throw HttpsCertificateError.cannotWrite(path) }
    }
}

enum HttpsCertificateError: Error, CustomStringConvertible {
    case noCertificate(String)
    case cannotWrite(String)

    var description: String {
        switch self {
        case .noCertificate(let path): "\(path) holds no PEM certificate"
        case .cannotWrite(let path): "cannot write \(path)"
        }
    }
}
