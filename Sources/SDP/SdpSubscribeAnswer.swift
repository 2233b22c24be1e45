import Relay
/// What the relay reads from the client's answer to a subscribe offer: the client's transport
/// and which slots it accepted.
public struct SdpSubscribeAnswer: Equatable, Sendable {
    public var remote: SdpRemoteTransport
    /// The mids the client accepted (non-zero port), in the offer's order.
    public var acceptedMids: [String]
    /// The mids the client rejected with port 0.
    public var rejectedMids: [String]

    public init(remote: SdpRemoteTransport, acceptedMids: [String], rejectedMids: [String]) {
        self.remote = remote
        self.acceptedMids = acceptedMids
        self.rejectedMids = rejectedMids
    }

    /// Reads `answer`, the client's answer to `offer`. The answer must have the offer's
    /// sections in the offer's order (RFC 8829 §5.3.1) and take the DTLS client role: with
    /// the relay offering actpass, the client must answer active (RFC 5763 §5); a missing
    /// setup attribute means active (RFC 4145 §4).
    public init(parsing answer: SessionDescription, offer: SessionDescription) throws(SdpNegotiationError) {
        guard answer.media.count == offer.media.count else { throw .mediaSectionsMismatch }
        var accepted: [String] = []
        var rejected: [String] = []
        var transport: SdpRemoteTransport?
        for (answered, offered) in zip(answer.media, offer.media) {
            let mid = offered.mid ?? ""
            // A rejected section may omit its mid; an accepted one must keep it.
            guard answered.mid == offered.mid || (answered.isRejected && answered.mid == nil) else {
                throw .mediaSectionsMismatch
            }
            if answered.isRejected {
                rejected.append(mid)
                continue
            }
            accepted.append(mid)
            if transport == nil {
                transport = try SdpRemoteTransport(section: answered, in: answer)
            }
        }
        guard let transport else { throw .noAcceptedMedia }
        guard transport.setup == .active else { throw .incompatibleSetupRole(transport.setup) }
        self.init(remote: transport, acceptedMids: accepted, rejectedMids: rejected)
    }

    public func isAccepted(mid: String) -> Bool { acceptedMids.contains(mid) }
}
