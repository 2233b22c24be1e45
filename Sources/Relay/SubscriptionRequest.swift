/// One track sent to one subscriber: under `ssrc` and `payloadType`, with retransmissions on
/// `rtx` when the subscriber negotiated RTX (RFC 4588).
public struct SubscriptionRequest: Sendable, Equatable, Codable {
    public struct Retransmission: Sendable, Equatable, Codable {
        public var ssrc: UInt32
        public var payloadType: UInt8

        public init(ssrc: UInt32, payloadType: UInt8) {
            self.ssrc = ssrc
            self.payloadType = payloadType
        }
    }

    public var track: TrackID
    public var transport: TransportID
    public var ssrc: UInt32
    public var payloadType: UInt8
    public var rtx: Retransmission?

    public init(track: TrackID, transport: TransportID, ssrc: UInt32, payloadType: UInt8, rtx: Retransmission? = nil) {
        self.track = track
        self.transport = transport
        self.ssrc = ssrc
        self.payloadType = payloadType
        self.rtx = rtx
    }
}
