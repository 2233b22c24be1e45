import Relay
/// One m-line slot of a subscribe connection: a track the relay sends to the client, or a slot
/// kept `inactive` after its track left so it can be reused (RFC 8829 §5.2.2).
public struct SdpOutgoingTrack: Equatable, Sendable {
    public var mid: String
    public var kind: SdpMediaKind
    /// The codec as the relay sends it; `rtxPayloadType` set when retransmissions go on RTX.
    /// Empty `feedback` means the relay's default for the kind.
    public var codec: SdpCodec
    public var ssrc: UInt32
    public var rtxSsrc: UInt32?
    public var cname: String
    public var streamId: String
    public var trackId: String
    public var headerExtensions: [SdpHeaderExtension]
    public var isActive: Bool

    public init(
        mid: String, kind: SdpMediaKind, codec: SdpCodec, ssrc: UInt32, rtxSsrc: UInt32? = nil, cname: String,
        streamId: String, trackId: String, headerExtensions: [SdpHeaderExtension], isActive: Bool = true
    ) {
        self.mid = mid
        self.kind = kind
        self.codec = codec
        self.ssrc = ssrc
        self.rtxSsrc = rtxSsrc
        self.cname = cname
        self.streamId = streamId
        self.trackId = trackId
        self.headerExtensions = headerExtensions
        self.isActive = isActive
    }

    /// The rtcp-fb the relay asks for when the codec names none: NACK, PLI and FIR for video,
    /// so it can repair and refresh the stream; transport-cc for both, for bandwidth
    /// estimation per subscriber (RFC 4585 §4.2, RFC 5104 §7.1).
    public static func defaultFeedback(for kind: SdpMediaKind) -> [String] {
        kind == .video ? ["nack", "nack pli", "ccm fir", "transport-cc"] : ["transport-cc"]
    }
}
