/// What signaling knows of a track a publisher sends, from its SDP offer.
public struct TrackDescription: Sendable, Equatable, Codable {
    public var id: TrackID
    /// The publish transport the track arrives on.
    public var transport: TransportID
    public var kind: MediaKind
    public var mid: String
    /// The media SSRCs signalled in SDP; more are learned from the mid header extension.
    public var ssrcs: [UInt32]
    /// Retransmission SSRCs, whose packets are not forwarded as media.
    public var rtxSsrcs: [UInt32]
    public var payloadType: UInt8
    /// The codec's encoding name, lowercased (`vp8`, `opus`, ...), to find its keyframes.
    public var codecName: String
    public var clockRate: UInt32
    /// The id of the mid header extension in the publisher's packets, if negotiated.
    public var midExtensionID: UInt8?
    /// The id of the audio level extension (RFC 6464), passed on to subscribers.
    public var audioLevelExtensionID: UInt8?
    /// The id of the transport-wide sequence number extension, which the relay's feedback to
    /// the publisher reports on.
    public var transportSequenceNumberExtensionID: UInt8?
    /// The id of abs-send-time, negotiated instead of the transport-wide sequence number by a
    /// publisher that reads REMB: the relay's receive-side estimate uses it.
    public var absSendTimeExtensionID: UInt8?
    /// The simulcast layers' RIDs in the publisher's order (RFC 8853); empty without simulcast.
    public var rids: [String]
    /// The ids of the RID and repaired-RID extensions (RFC 8852 §3), which name the layer a
    /// packet or its retransmission belongs to.
    public var ridExtensionID: UInt8?
    public var repairedRidExtensionID: UInt8?

    public init(
        id: TrackID, transport: TransportID, kind: MediaKind, mid: String, ssrcs: [UInt32],
        rtxSsrcs: [UInt32] = [], payloadType: UInt8, codecName: String = "", clockRate: UInt32, midExtensionID: UInt8?,
        audioLevelExtensionID: UInt8? = nil, transportSequenceNumberExtensionID: UInt8? = nil,
        absSendTimeExtensionID: UInt8? = nil, rids: [String] = [], ridExtensionID: UInt8? = nil,
        repairedRidExtensionID: UInt8? = nil
    ) {
        self.id = id
        self.transport = transport
        self.kind = kind
        self.mid = mid
        self.ssrcs = ssrcs
        self.rtxSsrcs = rtxSsrcs
        self.payloadType = payloadType
        self.codecName = codecName
        self.clockRate = clockRate
        self.midExtensionID = midExtensionID
        self.audioLevelExtensionID = audioLevelExtensionID
        self.transportSequenceNumberExtensionID = transportSequenceNumberExtensionID
        self.absSendTimeExtensionID = absSendTimeExtensionID
        self.rids = rids
        self.ridExtensionID = ridExtensionID
        self.repairedRidExtensionID = repairedRidExtensionID
    }
}
