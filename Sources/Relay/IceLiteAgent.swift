/// The ICE-lite side of one peer connection (RFC 8445 §2.5): it never sends checks, only answers
/// the peer's Binding requests, learns the peer's address from them, follows the peer's
/// nomination, and watches consent on the selected path (RFC 7675).
///
/// Sans-IO: feed it received STUN datagrams with `handleStun` and wake-ups with `handleTimeout`,
/// then drain `pollTransmit` and `pollEvent`, and come back at `nextTimeout`. Time is monotonic
/// nanoseconds, passed in.
public struct IceLiteAgent: Sendable {
    /// RFC 7675 §5.1: consent expires 30 seconds after the last check that proved it.
    public static let defaultConsentTimeout: UInt64 = 30_000_000_000

    public let localCredentials: IceCredentials
    /// The peer's credentials from its SDP; until they arrive, the remote half of USERNAME is
    /// not checked (the peer's checks can overtake its answer on the signaling path).
    public private(set) var remoteCredentials: IceCredentials?
    public let consentTimeout: UInt64
    /// The path the peer nominated or, before any nomination, the one it is using.
    public private(set) var selectedAddress: TransportAddress?
    public private(set) var isNominated = false
    private var consentLost = false
    public private(set) var stats = IceStats()

    /// When the last valid request arrived from each address: the selected path's entry is its
    /// consent.
    private var lastValidRequest: [TransportAddress: UInt64] = [:]
    private var transmits: [(bytes: [UInt8], to: TransportAddress)] = []
    /// The unsigned 400 and 401 answers go to whatever address a request claims, and anyone who
    /// learned this transport's ufrag can ask for them: they are bounded, so the relay does not
    /// reflect a flood toward a forged source. A client whose credentials are wrong gets a few.
    private var unauthenticatedAnswers = TokenBucket(
        refillPerSecond: IceLiteAgent.unauthenticatedAnswersPerSecond, capacity: IceLiteAgent.unauthenticatedAnswersPerSecond * 2)
    public static let unauthenticatedAnswersPerSecond = 10.0
    private var events: [IceEvent] = []
    private let localPassword: [UInt8]

    public init(
        localCredentials: IceCredentials = .random(), remoteCredentials: IceCredentials? = nil,
        consentTimeout: UInt64 = defaultConsentTimeout
    ) {
        self.localCredentials = localCredentials
        self.remoteCredentials = remoteCredentials
        self.consentTimeout = consentTimeout
        localPassword = Array(localCredentials.pwd.utf8)
    }

    public mutating func setRemoteCredentials(_ credentials: IceCredentials) {
        remoteCredentials = credentials
    }

    /// When consent on the selected path runs out, if a path is selected.
    public var nextTimeout: UInt64? {
        guard let selectedAddress, let last = lastValidRequest[selectedAddress] else { return nil }
        return last + consentTimeout
    }

    public mutating func handleTimeout(now: UInt64) {
        expireConsent(now: now)
    }

    public mutating func pollTransmit() -> (bytes: [UInt8], to: TransportAddress)? {
        transmits.isEmpty ? nil : transmits.removeFirst()
    }

    public mutating func pollEvent() -> IceEvent? {
        events.isEmpty ? nil : events.removeFirst()
    }

    /// Handles one datagram that the demultiplexer classed as STUN (RFC 7983). Returns why it
    /// was refused, or nil for a valid check.
    @discardableResult
    public mutating func handleStun(_ bytes: [UInt8], from source: TransportAddress, now: UInt64) -> StunRefusal? {
        expireConsent(now: now)
        let request: StunMessage
        do {
            request = try StunMessage.parse(bytes)
        } catch {
            stats.malformed += 1
            return .malformed
        }
        do {
            try StunFingerprint.verify(bytes)
        } catch {
            stats.badFingerprint += 1
            return .badFingerprint
        }
        guard request.messageClass == .request, request.method == .binding else {
            stats.notBindingRequest += 1
            return .notBindingRequest
        }
        // RFC 8489 §9.1.3: no credentials is 400, wrong ones 401; neither answer is signed, as
        // the request could not be authenticated.
        guard let username = request.username, request.attribute(.messageIntegrity) != nil else {
            stats.missingCredentials += 1
            respondUnauthenticated(400, "Bad Request", to: request, at: source, now: now)
            return .missingCredentials
        }
        guard isExpectedUsername(username) else {
            stats.unknownUsername += 1
            respondUnauthenticated(401, "Unauthorized", to: request, at: source, now: now)
            return .unknownUsername
        }
        do {
            try StunMessageIntegrity.verify(bytes, key: localPassword)
        } catch {
            stats.badIntegrity += 1
            respondUnauthenticated(401, "Unauthorized", to: request, at: source, now: now)
            return .badIntegrity
        }
        let unknown = request.unknownComprehensionRequiredTypes
        guard unknown.isEmpty else {
            stats.unknownAttributes += 1
            respondWithError(420, "Unknown Attribute", to: request, at: source, extra: [.unknownAttributes(unknown)])
            return .unknownAttributes
        }
        // RFC 8445 §6.1.1, §7.3.1.1: a lite agent is always controlled, so a peer that also
        // claims to be controlled must take the controlling role; 487 tells it to.
        guard request.iceControlled == nil else {
            stats.roleConflicts += 1
            respondWithError(487, "Role Conflict", to: request, at: source)
            return .roleConflict
        }

        if lastValidRequest.updateValue(now, forKey: source) == nil {
            events.append(.validated(source))
        }
        stats.successResponses += 1
        let response = StunMessage(
            .successResponse, .binding, transactionId: request.transactionId,
            attributes: [.xorMappedAddress(source)])
        transmits.append((response.encoded(integrityKey: localPassword, fingerprint: true), source))

        // RFC 8445 §7.3.1.5: USE-CANDIDATE on a valid check nominates its pair; a later
        // nomination from another address means the peer's address changed.
        if request.hasUseCandidate {
            isNominated = true
            select(source)
        } else if selectedAddress == nil {
            peerUsed(source)
        }
        return nil
    }

    /// Whether a valid check came from `address` while consent holds.
    public func isValidated(_ address: TransportAddress) -> Bool {
        lastValidRequest[address] != nil
    }

    /// The peer sent something other than a check (its DTLS handshake) from `address`. A
    /// browser starts DTLS on the first pair whose check succeeds, often before it
    /// nominates one, so until a nomination the path follows the validated address the peer
    /// actually uses.
    public mutating func peerUsed(_ address: TransportAddress) {
        guard !isNominated, !consentLost, isValidated(address) else { return }
        select(address)
    }

    private mutating func select(_ address: TransportAddress) {
        guard selectedAddress != address else { return }
        selectedAddress = address
        events.append(.selected(address))
    }

    /// RFC 8445 §7.2.2: the peer's checks carry "our-ufrag:its-ufrag".
    private func isExpectedUsername(_ username: String) -> Bool {
        guard let colon = username.firstIndex(of: ":"),
            username[..<colon] == localCredentials.ufrag
        else { return false }
        guard let remoteCredentials else { return true }
        return username[username.index(after: colon)...] == remoteCredentials.ufrag
    }

    private mutating func expireConsent(now: UInt64) {
        guard let deadline = nextTimeout, now >= deadline else { return }
        selectedAddress = nil
        lastValidRequest = [:]
        consentLost = true
        events.append(.consentExpired)
    }

    private mutating func respondUnauthenticated(
        _ code: Int, _ reason: String, to request: StunMessage, at source: TransportAddress, now: UInt64
    ) {
        guard unauthenticatedAnswers.take(at: now) else {
            stats.unansweredRefusals += 1
            return
        }
        respondWithError(code, reason, to: request, at: source, signed: false)
    }

    private mutating func respondWithError(
        _ code: Int, _ reason: String, to request: StunMessage, at source: TransportAddress,
        signed: Bool = true, extra: [StunAttribute] = []
    ) {
        let response = StunMessage(
            .errorResponse, .binding, transactionId: request.transactionId,
            attributes: [.errorCode(code: code, reason: reason)] + extra)
        transmits.append((response.encoded(integrityKey: signed ? localPassword : nil, fingerprint: true), source))
    }
}
