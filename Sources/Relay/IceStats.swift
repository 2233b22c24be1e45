/// Counters of the ICE-lite agent: requests answered, and every datagram refused, by reason.
public struct IceStats: Equatable, Sendable {
    /// Binding requests answered with a success response.
    public var successResponses = 0
    /// Datagrams that are not well-formed STUN messages: dropped.
    public var malformed = 0
    /// STUN messages with no FINGERPRINT or a wrong one, which ICE requires (RFC 8445 §7.3):
    /// dropped.
    public var badFingerprint = 0
    /// Responses, indications and methods other than Binding: dropped (a lite agent sends no
    /// requests, and keepalive indications need no answer, RFC 8445 §11).
    public var notBindingRequest = 0
    /// Requests without USERNAME or MESSAGE-INTEGRITY: answered 400 (RFC 8489 §9.1.3).
    public var missingCredentials = 0
    /// Requests whose USERNAME is not "local-ufrag:remote-ufrag": answered 401.
    public var unknownUsername = 0
    /// Requests whose MESSAGE-INTEGRITY fails under the local password: answered 401.
    public var badIntegrity = 0
    /// Requests with comprehension-required attributes the agent does not know: answered 420
    /// (RFC 8489 §6.3.1).
    public var unknownAttributes = 0
    /// Requests carrying ICE-CONTROLLED, from a peer that also believes it is controlled: answered
    /// 487 (RFC 8445 §7.3.1.1).
    public var roleConflicts = 0
    /// Valid requests from a new address once `IceLiteAgent.maximumPeerAddresses` are known:
    /// dropped unanswered.
    public var tooManyAddresses = 0
    /// Requests refused with 400 or 401 past `IceLiteAgent.unauthenticatedAnswersPerSecond`:
    /// left unanswered.
    public var unansweredRefusals = 0
    /// Nominations that asked to move the path to another address, each checked there first.
    public var pathChecks = 0
    /// Path checks the peer answered, signed, from the checked address: the path moved.
    public var pathChecksAnswered = 0
    /// Path checks left unanswered after every attempt: the path stayed.
    public var pathChecksUnanswered = 0
    /// Answers to a path check from another address or without the peer's signature: dropped.
    public var badPathCheckAnswers = 0
    /// ICE restarts: new credentials on both sides, the path kept (RFC 8445 §9).
    public var restarts = 0

    public init() {}
}
