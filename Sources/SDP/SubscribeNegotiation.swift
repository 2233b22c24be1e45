import Relay
/// The relay's side of a subscribe connection's offer/answer exchanges: which tracks fill its
/// slots, whether an offer is awaiting its answer, and what each answer changes.
///
/// One offer is outstanding at a time (RFC 8829 §4.1.8: a new offer waits for the answer);
/// changes made meanwhile are sent in the next offer once the answer arrives.
public struct SubscribeNegotiation: Sendable {
    public let transport: TransportID
    public private(set) var localCredentials: IceCredentials
    private var builder: SubscribeOfferBuilder
    /// The track in each active slot, by mid.
    private var tracksByMid: [String: ForwardedTrack] = [:]
    /// The track the router sends in each slot, by mid, as of the last answer.
    private var subscribed: [String: TrackID] = [:]
    private var outstandingOffer: SessionDescription?
    private var hasChanges = false
    /// The client's transport as of its last answer.
    private var remote: SdpRemoteTransport?

    public init(transport: TransportID, local: SdpLocalTransport, localCredentials: IceCredentials, sessionId: UInt64) {
        self.transport = transport
        self.localCredentials = localCredentials
        builder = SubscribeOfferBuilder(local: local, sessionId: sessionId)
    }

    public var isAwaitingAnswer: Bool { outstandingOffer != nil }

    /// The tracks offered now, by mid.
    public var tracks: [String: ForwardedTrack] { tracksByMid }

    public mutating func add(_ track: ForwardedTrack) {
        guard !tracksByMid.values.contains(where: { $0.id == track.id }) else { return }
        let codec = track.outgoingCodec
        let mid = builder.add(SdpOutgoingTrack(
            mid: "", kind: track.kind, codec: codec, ssrc: Self.randomSsrc(),
            rtxSsrc: codec.rtxPayloadType == nil ? nil : Self.randomSsrc(), cname: track.cname,
            streamId: track.streamId, trackId: track.trackId,
            headerExtensions: SubscribeHeaderExtensions.sdp(for: track.kind)))
        tracksByMid[mid] = track
        hasChanges = true
    }

    public mutating func remove(track id: TrackID) {
        guard let mid = tracksByMid.first(where: { $0.value.id == id })?.key else { return }
        tracksByMid[mid] = nil
        builder.deactivate(mid: mid)
        hasChanges = true
    }

    /// An ICE restart the client asked for (its path changed): the next offer carries these new
    /// credentials (RFC 8839 §4.4.1.1.1), and the answer to it the client's new ones. Nil before
    /// the client first answered: there is no transport to restart yet.
    public mutating func restartIce() -> IceCredentials? {
        guard remote != nil else { return nil }
        let credentials = IceCredentials.random()
        localCredentials = credentials
        builder.restartIce(with: credentials)
        hasChanges = true
        return credentials
    }

    /// The offer to send now: when the slots changed and no offer is awaiting its answer.
    public mutating func nextOffer() -> SessionDescription? {
        guard hasChanges, outstandingOffer == nil, !builder.slots.isEmpty else { return nil }
        let offer = builder.offer()
        outstandingOffer = offer
        hasChanges = false
        return offer
    }

    /// Reads the client's answer to the outstanding offer.
    public mutating func handleAnswer(_ answer: SessionDescription) throws(SdpNegotiationError) -> SubscriptionChange {
        guard let offer = outstandingOffer else { throw .noOutstandingOffer }
        let parsed = try SdpSubscribeAnswer(parsing: answer, offer: offer)
        outstandingOffer = nil

        var change = SubscriptionChange()
        if let remote {
            if remote.iceUfrag != parsed.remote.iceUfrag || remote.icePwd != parsed.remote.icePwd {
                change.restartedRemote = parsed.remote
            }
        } else {
            change.newTransport = parsed.remote
        }
        remote = parsed.remote
        var sending: [String: TrackID] = [:]
        for slot in builder.slots where slot.isActive && parsed.isAccepted(mid: slot.mid) {
            guard let track = tracksByMid[slot.mid] else { continue }
            sending[slot.mid] = track.id
            if subscribed[slot.mid] != track.id {
                change.start.append(.init(
                    track: track.id, ssrc: slot.ssrc, payloadType: slot.codec.payloadType,
                    rtxSsrc: slot.rtxSsrc, rtxPayloadType: slot.codec.rtxPayloadType))
            }
        }
        for (mid, track) in subscribed where sending[mid] != track {
            change.stop.append(track)
        }
        subscribed = sending
        return change
    }

    private static func randomSsrc() -> UInt32 {
        UInt32.random(in: 1...UInt32.max)
    }
}
