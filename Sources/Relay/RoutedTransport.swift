/// A transport as the router keeps it: the peer connection's transport and the two roles it can
/// play in a call, each with its own routing tables. A client's publish connection fills the
/// publish leg, its subscribe connection the subscribe leg; the tables live here rather than in
/// router-wide dictionaries keyed by transport.
final class RoutedTransport {
    let peer: PeerTransport
    let publishing: PublishLeg
    let subscribing: SubscribeLeg
    /// Until it connects: when it is given up. Set at the first timeout after its creation.
    var connectDeadline: UInt64?

    /// `relaySsrc` is the SSRC the relay's own RTCP to this transport is sent from.
    init(peer: PeerTransport, relaySsrc: UInt32, pacesVideo: Bool = true) {
        self.peer = peer
        subscribing = SubscribeLeg(pacesVideo: pacesVideo)
        publishing = PublishLeg(feedbackSenderSsrc: relaySsrc)
    }

    var id: TransportID { peer.id }
}
