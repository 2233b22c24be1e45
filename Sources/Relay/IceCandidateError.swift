/// Why a `candidate` attribute cannot be used (RFC 8839 §5.1).
public enum IceCandidateError: Error, Equatable, Sendable {
    /// The value does not start with "candidate:".
    case notACandidate
    /// Fewer than the eight fields up to the candidate type.
    case missingFields
    /// The component ID is not a number from 1 to 256.
    case badComponent(String)
    /// A transport other than UDP: the relay takes media over UDP only.
    case unsupportedTransport(String)
    /// The priority is not a number from 1 to 2^31 - 1 (RFC 8445 §5.1.2).
    case badPriority(String)
    /// The address is not an IP literal: a hostname, such as the mDNS names browsers use to hide
    /// private addresses (draft-ietf-mmusic-mdns-ice-candidates), which the relay cannot resolve.
    case unresolvedAddress(String)
    /// The port is not a number from 0 to 65535.
    case badPort(String)
    /// The field after the port is not "typ".
    case missingType
    /// A type other than host, srflx, prflx or relay.
    case unknownType(String)
}
