/// What the router must do after a subscriber answered: start sending some tracks and stop
/// sending others.
public struct SubscriptionChange: Equatable, Sendable {
    public struct Start: Equatable, Sendable {
        public var track: TrackID
        public var ssrc: UInt32
        public var payloadType: UInt8
    }

    /// The client's transport, present on the first answer only: the subscribe transport is
    /// created then.
    public var newTransport: SdpRemoteTransport?
    public var start: [Start] = []
    public var stop: [TrackID] = []
}
