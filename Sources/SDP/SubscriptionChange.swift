import Relay
/// What the router must do after a subscriber answered: start sending some tracks and stop
/// sending others.
public struct SubscriptionChange: Equatable, Sendable {
    public struct Start: Equatable, Sendable {
        public var track: TrackID
        public var ssrc: UInt32
        public var payloadType: UInt8
        /// The retransmission stream, when the subscriber negotiated RTX (RFC 4588).
        public var rtxSsrc: UInt32?
        public var rtxPayloadType: UInt8?

        public init(track: TrackID, ssrc: UInt32, payloadType: UInt8, rtxSsrc: UInt32? = nil, rtxPayloadType: UInt8? = nil) {
            self.track = track
            self.ssrc = ssrc
            self.payloadType = payloadType
            self.rtxSsrc = rtxSsrc
            self.rtxPayloadType = rtxPayloadType
        }

        /// The retransmission stream as the router takes it.
        public var rtx: (ssrc: UInt32, payloadType: UInt8)? {
            guard let rtxSsrc, let rtxPayloadType else { return nil }
            return (rtxSsrc, rtxPayloadType)
        }
    }

    /// The client's transport, present on the first answer only: the subscribe transport is
    /// created then.
    public var newTransport: SdpRemoteTransport?
    /// The client's new ICE credentials, when the answer completed an ICE restart.
    public var restartedRemote: SdpRemoteTransport?
    public var start: [Start] = []
    public var stop: [TrackID] = []
}
