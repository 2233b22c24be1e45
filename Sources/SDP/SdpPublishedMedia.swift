import Relay
/// What the relay needs to know about one accepted section of a publish offer to receive and
/// route its packets.
public struct SdpPublishedMedia: Equatable, Sendable {
    public var mid: String
    public var kind: SdpMediaKind
    /// The accepted codecs in the publisher's preference order; the first is the one it will
    /// send with. Each carries its RTX payload type, if any.
    public var codecs: [SdpCodec]
    /// The accepted header extensions, with the publisher's ids.
    public var headerExtensions: [SdpHeaderExtension]
    /// The media SSRCs the publisher announced (empty when it announces none, as with Chrome
    /// simulcast, where packets are matched by RID instead).
    public var ssrcs: [UInt32]
    /// Media SSRC → RTX SSRC, from `a=ssrc-group:FID`.
    public var rtxSsrcs: [UInt32: UInt32]
    /// The simulcast RIDs the publisher sends, in its order; empty without simulcast.
    public var rids: [String]
    public var cname: String?
    public var msid: SdpMsid?

    public init(
        mid: String, kind: SdpMediaKind, codecs: [SdpCodec], headerExtensions: [SdpHeaderExtension],
        ssrcs: [UInt32] = [], rtxSsrcs: [UInt32: UInt32] = [:], rids: [String] = [], cname: String? = nil,
        msid: SdpMsid? = nil
    ) {
        self.mid = mid
        self.kind = kind
        self.codecs = codecs
        self.headerExtensions = headerExtensions
        self.ssrcs = ssrcs
        self.rtxSsrcs = rtxSsrcs
        self.rids = rids
        self.cname = cname
        self.msid = msid
    }

    /// The codec the publisher prefers, which it sends with (RFC 3264 §6.1).
    public var preferredCodec: SdpCodec? { codecs.first }

    public func codec(payloadType: UInt8) -> SdpCodec? {
        codecs.first { $0.payloadType == payloadType }
    }

    /// The id of the accepted header extension with `uri`.
    public func headerExtensionId(_ uri: String) -> UInt16? {
        headerExtensions.first { $0.uri == uri }?.id
    }
}

extension SdpPublishedMedia {
    /// How the router receives this section's packets, as track `id` on `transport`; nil when
    /// no codec was accepted.
    public func trackDescription(id: TrackID, transport: TransportID) -> TrackDescription? {
        guard let codec = preferredCodec else { return nil }
        return TrackDescription(
            id: id, transport: transport, kind: kind == .audio ? .audio : .video, mid: mid, ssrcs: ssrcs,
            rtxSsrcs: Array(rtxSsrcs.values), payloadType: codec.payloadType, codecName: codec.name.lowercased(), clockRate: codec.clockRate,
            midExtensionID: oneByteExtensionId(SdpHeaderExtension.mid),
            audioLevelExtensionID: oneByteExtensionId(SdpHeaderExtension.audioLevel),
            transportSequenceNumberExtensionID: oneByteExtensionId(SdpHeaderExtension.transportWideCc),
            absSendTimeExtensionID: oneByteExtensionId(SdpHeaderExtension.absSendTime),
            rids: rids, ridExtensionID: oneByteExtensionId(SdpHeaderExtension.rtpStreamId),
            repairedRidExtensionID: oneByteExtensionId(SdpHeaderExtension.repairedRtpStreamId))
    }

    /// The id of an accepted extension as packets carry it; ids past 255 are for negotiation
    /// only (RFC 8285 §6).
    private func oneByteExtensionId(_ uri: String) -> UInt8? {
        headerExtensionId(uri).flatMap { UInt8(exactly: $0) }
    }

    /// How subscribers are offered this section's track, published by `owner`. The stream,
    /// track and CNAME are the relay's own names, never the publisher's strings: a subscriber
    /// sees one stream per participant, and nothing a client wrote reaches another's SDP.
    public func forwardedTrack(id: TrackID, owner: String) -> ForwardedTrack? {
        guard let codec = preferredCodec else { return nil }
        return ForwardedTrack(
            id: id, owner: owner, kind: kind, codec: codec, cname: owner, streamId: owner,
            trackId: "\(owner)-\(kind.token)-\(id.value)")
    }
}
