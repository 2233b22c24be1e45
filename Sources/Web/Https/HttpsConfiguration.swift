/// Where the server listens for HTTPS and which certificate it shows there.
public struct HttpsConfiguration: Sendable {
    public enum CertificateSource: Sendable, Equatable {
        /// A certificate the server makes for `names` in `directory` on first start and keeps
        /// (made anew shortly before it expires).
        case selfSigned(directory: String, names: [String])
        /// PEM files given by the operator: the certificate chain, leaf first, and its key.
        case files(certificate: String, privateKey: String)
    }

    public var hostname: String
    public var port: Int
    public var certificate: CertificateSource

    public init(hostname: String, port: Int, certificate: CertificateSource) {
        self.hostname = hostname
        self.port = port
        self.certificate = certificate
    }
}
