/// Why the ICE-lite agent did not act on a STUN message. The agent answers some of them with an
/// error response, but none validates a path or refreshes consent, so the router counts each
/// as a dropped datagram: a request that names a real transport but fails its integrity check
/// must not go unseen just because its USERNAME got it past the router.
public enum StunRefusal: Sendable, Equatable {
    case malformed
    case badFingerprint
    case notBindingRequest
    case missingCredentials
    case unknownUsername
    case badIntegrity
    case unknownAttributes
    case roleConflict
    /// A valid check from yet another address, past `IceLiteAgent.maximumPeerAddresses`.
    case tooManyAddresses
    /// The transport it reached was already closed.
    case transportClosed

    /// What the router counts it as.
    public var dropReason: DropReason {
        switch self {
        case .malformed, .badFingerprint: .malformedStun
        case .missingCredentials, .unknownUsername, .badIntegrity: .stunBadCredentials
        case .notBindingRequest, .unknownAttributes, .roleConflict, .tooManyAddresses, .transportClosed: .stunRefused
        }
    }
}
