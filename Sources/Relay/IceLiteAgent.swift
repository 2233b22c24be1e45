/// The ICE-lite side of one peer connection (RFC 8445 §2.5): it never sends checks, only answers
/// the peer's Binding requests, learns the peer's address from them, follows the peer's
/// nomination, and watches consent on the selected path (RFC 7675). Once the peer has nominated
/// a path, a move to another address waits for the peer to answer the relay's own check there
/// (`PathCheck`). An ICE restart (RFC 8445 §9) gives it new credentials and keeps the path.
///
/// Sans-IO: feed it received STUN datagrams with `handleStun` and wake-ups with `handleTimeout`,
/// then drain `pollTransmit` and `pollEvent`, and come back at `nextTimeout`. Time is monotonic
/// nanoseconds, passed in.
public struct IceLiteAgent: Sendable {
    /// RFC 7675 §5.1: consent expires 30 seconds after the last check that proved it.
    public static let defaultConsentTimeout: UInt64 = 30_000_000_000

    public private(set) var localCredentials: IceCredentials
    /// The peer's credentials from its SDP; until they arrive, the remote half of USERNAME is
    /// not checked (the peer's checks can overtake its answer on the signaling path).
    public private(set) var remoteCredentials: IceCredentials?
    /// The credentials before an ICE restart, while no check has used the new ones: the peer
    /// keeps consent alive with them until the new answer reaches it (RFC 8445 §9).
    private var previous: (local: IceCredentials, remote: IceCredentials?, password: [UInt8])?
    /// Whether a check authenticated with the current credentials arrived.
    private var currentUsed = false
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
    /// Addresses a peer may check from (each a candidate of its own: interfaces, reflexive and
    /// relayed ones). Every one is routed to this transport, and a captured check replayed from
    /// forged sources must not grow that table without end.
    public static let maximumPeerAddresses = 32
    private var events: [IceEvent] = []
    private var localPassword: [UInt8]
    /// The check of an address a nomination wants to move the path to, while it is unanswered.
    private var pathCheck: PathCheck?
    /// RFC 8445 §7.1.1: the tie-breaker a check carries with its role.
    private let tieBreaker = UInt64.random(in: .min ... .max)

    public init(
        localCredentials: IceCredentials = .random(), remoteCredentials: IceCredentials? = nil,
        consentTimeout: UInt64 = defaultConsentTimeout
    ) {
        self.localCredentials = localCredentials
        self.remoteCredentials = remoteCredentials
        self.consentTimeout = consentTimeout
        localPassword = Array(localCredentials.pwd.utf8)
    }

    /// The peer's credentials; a path check that waited for them is sent at the next
    /// `handleTimeout`.
    public mutating func setRemoteCredentials(_ credentials: IceCredentials) {
        remoteCredentials = credentials
    }

    /// The local ufrags a check may name: the current one, and the one before a restart while
    /// the peer may still use it.
    public var acceptedUfrags: [String] {
        [localCredentials.ufrag] + (previous.map { [$0.local.ufrag] } ?? [])
    }

    /// An ICE restart (RFC 8445 §9): new credentials on both sides, and the path, the consent and
    /// whatever rides on them (DTLS, SRTP) kept. `remote` is nil when the peer's new
    /// credentials come later (the relay offered the restart). Checks with the credentials the
    /// peer last used stay valid until a check with the new ones arrives; a path check under
    /// way is dropped, as its signature is the old password's.
    public mutating func restart(local: IceCredentials, remote: IceCredentials?) {
        if currentUsed || previous == nil {
            previous = (localCredentials, remoteCredentials, localPassword)
        }
        localCredentials = local
        localPassword = Array(local.pwd.utf8)
        remoteCredentials = remote
        currentUsed = false
        pathCheck = nil
        stats.restarts += 1
    }

    /// When consent on the selected path runs out, if a path is selected, or a path check is due.
    public var nextTimeout: UInt64? {
        guard remoteCredentials != nil, let check = pathCheck?.nextSend else { return consentDeadline }
        return min(consentDeadline ?? check, check)
    }

    /// When consent on the selected path runs out, if a path is selected.
    private var consentDeadline: UInt64? {
        selectedAddress.flatMap { lastValidRequest[$0] }.map { $0 + consentTimeout }
    }

    public mutating func handleTimeout(now: UInt64) {
        expireConsent(now: now)
        sendPathCheck(now: now)
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
        if request.messageClass == .successResponse, request.method == .binding,
            let check = pathCheck, request.transactionId == check.transactionId
        {
            return handlePathCheckAnswer(bytes, from: source, check: check, now: now)
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
        guard let generation = credentialsNamed(by: username) else {
            stats.unknownUsername += 1
            respondUnauthenticated(401, "Unauthorized", to: request, at: source, now: now)
            return .unknownUsername
        }
        let key = generation == .current ? localPassword : previous?.password ?? localPassword
        do {
            try StunMessageIntegrity.verify(bytes, key: key)
        } catch {
            stats.badIntegrity += 1
            respondUnauthenticated(401, "Unauthorized", to: request, at: source, now: now)
            return .badIntegrity
        }
        if generation == .current {
            currentUsed = true
            previous = nil
        }
        let unknown = request.unknownComprehensionRequiredTypes
        guard unknown.isEmpty else {
            stats.unknownAttributes += 1
            respondWithError(420, "Unknown Attribute", to: request, at: source, key: key, extra: [.unknownAttributes(unknown)])
            return .unknownAttributes
        }
        // RFC 8445 §6.1.1, §7.3.1.1: a lite agent is always controlled, so a peer that also
        // claims to be controlled must take the controlling role; 487 tells it to.
        guard request.iceControlled == nil else {
            stats.roleConflicts += 1
            respondWithError(487, "Role Conflict", to: request, at: source, key: key)
            return .roleConflict
        }

        guard lastValidRequest[source] != nil || lastValidRequest.count < Self.maximumPeerAddresses else {
            stats.tooManyAddresses += 1
            return .tooManyAddresses
        }
        if lastValidRequest.updateValue(now, forKey: source) == nil {
            events.append(.validated(source))
        }
        stats.successResponses += 1
        let response = StunMessage(
            .successResponse, .binding, transactionId: request.transactionId,
            attributes: [.xorMappedAddress(source)])
        transmits.append((response.encoded(integrityKey: key, fingerprint: true), source))

        // RFC 8445 §7.3.1.5: USE-CANDIDATE on a valid check nominates its pair; a later
        // nomination from another address means the peer's address changed.
        if request.hasUseCandidate {
            let moves = isNominated && selectedAddress != nil && selectedAddress != source
            isNominated = true
            if moves {
                checkPath(to: source, now: now)
            } else {
                pathCheck = nil
                select(source)
            }
        } else if selectedAddress == nil {
            peerUsed(source)
        }
        return nil
    }

    /// Starts checking `address` before a nominated path moves there, unless it is already
    /// being checked. Without the peer's password no check can be signed: after an ICE restart
    /// the relay offered, the peer's checks can overtake its answer, and the check waits for
    /// the password to arrive (`setRemoteCredentials`) instead of for the peer's next nomination.
    private mutating func checkPath(to address: TransportAddress, now: UInt64) {
        guard pathCheck?.address != address else { return }
        pathCheck = PathCheck(address: address, now: now)
        stats.pathChecks += 1
        sendPathCheck(now: now)
    }

    private mutating func sendPathCheck(now: UInt64) {
        guard var check = pathCheck, let remoteCredentials else { return }
        if check.isExhausted(at: now) {
            stats.pathChecksUnanswered += 1
            pathCheck = nil
            return
        }
        guard check.takeSend(at: now) else { return }
        pathCheck = check
        // RFC 8445 §7.2.2: "peer-ufrag:own-ufrag", signed with the peer's password; a lite agent
        // is the controlled one.
        let request = StunMessage(
            .request, .binding, transactionId: check.transactionId,
            attributes: [
                .username("\(remoteCredentials.ufrag):\(localCredentials.ufrag)"),
                .priority(IceCandidate.priority(type: .host, localPreference: 65535, component: 1)),
                .iceControlled(tieBreaker),
            ])
        transmits.append((request.encoded(integrityKey: Array(remoteCredentials.pwd.utf8), fingerprint: true), check.address))
    }

    /// A success response to the path check: the path moves only if it came from the checked
    /// address and is signed with the peer's password.
    private mutating func handlePathCheckAnswer(
        _ bytes: [UInt8], from source: TransportAddress, check: PathCheck, now: UInt64
    ) -> StunRefusal? {
        guard source == check.address, let remoteCredentials else {
            stats.badPathCheckAnswers += 1
            return .badIntegrity
        }
        do {
            try StunMessageIntegrity.verify(bytes, key: Array(remoteCredentials.pwd.utf8))
        } catch {
            stats.badPathCheckAnswers += 1
            return .badIntegrity
        }
        pathCheck = nil
        stats.pathChecksAnswered += 1
        // The answer is consent on the new path (RFC 7675 §5.1).
        lastValidRequest[source] = now
        select(source)
        return nil
    }

    /// Authenticated media (SRTP or SRTCP) arrived from `source`. A peer that moved to another of
    /// its validated paths sends there before it nominates it again (a browser renominates at
    /// its next check, seconds later): the relay checks that address at once, and moves when
    /// the peer answers, as after a nomination. Replayed media moves nothing, for the same
    /// reason a replayed nomination does not.
    public mutating func mediaArrived(from source: TransportAddress, now: UInt64) {
        guard isNominated, let selected = selectedAddress, selected != source, isValidated(source) else { return }
        checkPath(to: source, now: now)
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

    private enum Generation { case current, previous }

    /// Which credentials a check's USERNAME names, if any. RFC 8445 §7.2.2: the peer's checks
    /// carry "our-ufrag:its-ufrag".
    private func credentialsNamed(by username: String) -> Generation? {
        guard let colon = username.firstIndex(of: ":") else { return nil }
        let ours = username[..<colon]
        let theirs = username[username.index(after: colon)...]
        func matches(_ local: IceCredentials, _ remote: IceCredentials?) -> Bool {
            guard ours == local.ufrag else { return false }
            guard let remote else { return true }
            return theirs == remote.ufrag
        }
        if matches(localCredentials, remoteCredentials) { return .current }
        if let previous, matches(previous.local, previous.remote) { return .previous }
        return nil
    }

    private mutating func expireConsent(now: UInt64) {
        guard let deadline = consentDeadline, now >= deadline else { return }
        selectedAddress = nil
        lastValidRequest = [:]
        pathCheck = nil
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
        respondWithError(code, reason, to: request, at: source, key: nil)
    }

    private mutating func respondWithError(
        _ code: Int, _ reason: String, to request: StunMessage, at source: TransportAddress,
        key: [UInt8]?, extra: [StunAttribute] = []
    ) {
        let response = StunMessage(
            .errorResponse, .binding, transactionId: request.transactionId,
            attributes: [.errorCode(code: code, reason: reason)] + extra)
        transmits.append((response.encoded(integrityKey: key, fingerprint: true), source))
    }
}
