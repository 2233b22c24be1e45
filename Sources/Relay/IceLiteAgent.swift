/// The relay's side of ICE (RFC 8445 §2.5): a lite agent that never sends checks, answers the
/// browser's authenticated binding requests, takes the path the browser nominates, and lets it
/// go when the browser stops refreshing consent (RFC 7675). Without I/O.
public final class IceLiteAgent {
    /// RFC 7675 §5.1: consent expires 30 s after the last authenticated check.
    public static let defaultConsentTimeout: UInt64 = 30_000_000_000

    public struct Refusals: Equatable, Sendable {
        public var malformed = 0
        public var missingIntegrity = 0
        public var badIntegrity = 0
        public var badFingerprint = 0
        public var wrongUsername = 0
        public var roleConflict = 0
        public var notARequest = 0
    }

    public let localCredentials: IceCredentials
    public let remoteCredentials: IceCredentials
    public let consentTimeout: UInt64
    public private(set) var selectedAddress: TransportAddress?
    public private(set) var refusals = Refusals()
    private var lastConsent: UInt64?
    private var expired = false
    private var transmitQueue: [(bytes: [UInt8], to: TransportAddress)] = []
    private var events: [IceEvent] = []
    private let localKey: [UInt8]

    public init(localCredentials: IceCredentials, remoteCredentials: IceCredentials, consentTimeout: UInt64 = defaultConsentTimeout) {
        self.localCredentials = localCredentials
        self.remoteCredentials = remoteCredentials
        self.consentTimeout = consentTimeout
        localKey = Array(localCredentials.pwd.utf8)
    }

    public var nextTimeout: UInt64? {
        guard !expired, selectedAddress != nil, let lastConsent else { return nil }
        return lastConsent + consentTimeout
    }

    public func pollTransmit() -> (bytes: [UInt8], to: TransportAddress)? {
        transmitQueue.isEmpty ? nil : transmitQueue.removeFirst()
    }

    public func pollEvent() -> IceEvent? {
        events.isEmpty ? nil : events.removeFirst()
    }

    public func handleTimeout(now: UInt64) {
        guard let deadline = nextTimeout, now >= deadline else { return }
        expired = true
        events.append(.consentExpired)
    }

    /// A STUN datagram from `source`.
    public func handleStun(_ raw: UnsafeRawBufferPointer, from source: TransportAddress, now: UInt64) {
        guard !expired else { return }
        let bytes = Array(raw)
        let message: StunMessage
        do {
            message = try StunMessage.parse(bytes)
        } catch {
            refusals.malformed += 1
            return
        }
        // Responses and indications need no answer from a lite agent.
        guard message.messageClass == .request, message.method == .binding else {
            refusals.notARequest += 1
            return
        }
        // RFC 8489 §9.1.3: no integrity or no username is a 400; a failed check a 401.
        guard message.attribute(.messageIntegrity) != nil, let username = message.username else {
            refusals.missingIntegrity += 1
            reply(error: 400, reason: "Bad Request", to: message, at: source, authenticated: false)
            return
        }
        guard username == "\(localCredentials.ufrag):\(remoteCredentials.ufrag)" else {
            refusals.wrongUsername += 1
            reply(error: 401, reason: "Unauthorized", to: message, at: source, authenticated: false)
            return
        }
        do {
            try StunMessageIntegrity.verify(bytes, key: localKey)
        } catch {
            refusals.badIntegrity += 1
            reply(error: 401, reason: "Unauthorized", to: message, at: source, authenticated: false)
            return
        }
        if message.attribute(.fingerprint) != nil {
            do {
                try StunFingerprint.verify(bytes)
            } catch {
                refusals.badFingerprint += 1
                return
            }
        }
        // A lite agent is always controlled (RFC 8445 §6.1.1); a peer that says it is controlled
        // too has a role conflict (§7.3.1.1).
        if message.iceControlled != nil {
            refusals.roleConflict += 1
            reply(error: 487, reason: "Role Conflict", to: message, at: source, authenticated: true)
            return
        }

        let success = StunMessage(.successResponse, .binding, transactionId: message.transactionId, attributes: [
            .xorMappedAddress(source),
        ])
        transmitQueue.append((success.encoded(integrityKey: localKey, fingerprint: true), source))

        if message.hasUseCandidate && source != selectedAddress {
            selectedAddress = source
            events.append(.selected(source))
        }
        if source == selectedAddress { lastConsent = now }
    }

    private func reply(error code: Int, reason: String, to request: StunMessage, at source: TransportAddress, authenticated: Bool) {
        let response = StunMessage(.errorResponse, .binding, transactionId: request.transactionId, attributes: [
            .errorCode(code: code, reason: reason),
        ])
        transmitQueue.append((response.encoded(integrityKey: authenticated ? localKey : nil, fingerprint: true), source))
    }
}
