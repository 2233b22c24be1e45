import DTLS
import Relay
import SDP

/// One participant's media in sfu mode: the publish connection it offers (the relay answers and
/// receives) and the subscribe connection the relay offers (the relay sends the room's tracks).
struct ParticipantMedia {
    let location: MediaLocation
    let publishTransport: TransportID
    private(set) var publishLocal: SdpLocalTransport
    private(set) var publishCredentials: IceCredentials
    let sessionId: UInt64
    var publishVersion: UInt64 = 0
    /// The client's publish transport, once its first offer was answered.
    var publishRemote: SdpRemoteTransport?
    /// The tracks this participant publishes, by the mid of their publish section.
    var published: [String: ForwardedTrack] = [:]
    var subscribe: SubscribeNegotiation

    init(
        location: MediaLocation, candidates: [TransportAddress], fingerprint: CertificateFingerprint,
        transports: (publish: TransportID, subscribe: TransportID)
    ) {
        self.location = location
        publishTransport = transports.publish
        publishCredentials = IceCredentials.random()
        publishLocal = SdpLocalTransport(
            iceUfrag: publishCredentials.ufrag, icePwd: publishCredentials.pwd, fingerprint: fingerprint,
            candidates: candidates)
        sessionId = UInt64.random(in: 1...(UInt64.max >> 2))
        let subscribeCredentials = IceCredentials.random()
        subscribe = SubscribeNegotiation(
            transport: transports.subscribe,
            local: SdpLocalTransport(
                iceUfrag: subscribeCredentials.ufrag, icePwd: subscribeCredentials.pwd, fingerprint: fingerprint,
                candidates: candidates),
            localCredentials: subscribeCredentials, sessionId: UInt64.random(in: 1...(UInt64.max >> 2)))
    }

    var transports: [TransportID] { [publishTransport, subscribe.transport] }

    /// New credentials for the publish connection's end on the relay: the client's offer
    /// restarted ICE (RFC 8839 §4.4.1.1.1), so the answer must too.
    mutating func restartPublishIce() {
        publishCredentials = IceCredentials.random()
        publishLocal.iceUfrag = publishCredentials.ufrag
        publishLocal.icePwd = publishCredentials.pwd
    }
}
