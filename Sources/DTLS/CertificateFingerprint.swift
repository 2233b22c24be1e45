/// A certificate fingerprint as SDP carries it (RFC 8122 §5): a hash function name and the
/// digest, written as colon-separated uppercase hex pairs.
public struct CertificateFingerprint: Equatable, Hashable, Sendable, Codable, CustomStringConvertible {
    public enum ParseError: Error, Equatable, Sendable {
        case missingHashFunction
        case unsupportedHashFunction(String)
        case malformedDigest
    }

    public var hashFunction: String
    public var digest: [UInt8]

    public init(hashFunction: String = "sha-256", digest: [UInt8]) {
        self.hashFunction = hashFunction.lowercased()
        self.digest = digest
    }

    /// Parses the value of an `a=fingerprint:` attribute, e.g. `sha-256 AB:CD:...`.
    public init(sdpValue: String) throws(ParseError) {
        let parts = sdpValue.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { throw .missingHashFunction }
        let function = parts[0].lowercased()
        guard function == "sha-256" else { throw .unsupportedHashFunction(function) }
        var digest: [UInt8] = []
        for pair in parts[1].split(separator: ":", omittingEmptySubsequences: false) {
            guard pair.count == 2, let byte = UInt8(pair, radix: 16) else { throw .malformedDigest }
            digest.append(byte)
        }
        guard digest.count == 32 else { throw .malformedDigest }
        self.init(hashFunction: function, digest: digest)
    }

    /// The digest as `AB:CD:...`.
    public var hexDigest: String {
        digest.map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return byte < 16 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    /// The value of an `a=fingerprint:` attribute.
    public var sdpValue: String { "\(hashFunction) \(hexDigest)" }

    public var description: String { sdpValue }
}
