import RTP

/// Identifies a published track within the relay.
public struct TrackID: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public var description: String { "track-\(value)" }
}

public enum MediaKind: String, Sendable, Codable {
    case audio
    case video
}

/// What signaling knows of a track a publisher sends, from its SDP offer.
public struct TrackDescription: Sendable, Equatable {
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
    public var clockRate: UInt32
    /// The id of the mid header extension in the publisher's packets, if negotiated.
    public var midExtensionID: UInt8?

    public init(
        id: TrackID, transport: TransportID, kind: MediaKind, mid: String, ssrcs: [UInt32],
        rtxSsrcs: [UInt32] = [], payloadType: UInt8, clockRate: UInt32, midExtensionID: UInt8?
    ) {
        self.id = id
        self.transport = transport
        self.kind = kind
        self.mid = mid
        self.ssrcs = ssrcs
        self.rtxSsrcs = rtxSsrcs
        self.payloadType = payloadType
        self.clockRate = clockRate
        self.midExtensionID = midExtensionID
    }
}

/// A track on the relay: where its packets come from and who receives them.
final class PublishedTrack {
    let description: TrackDescription
    var subscriptions: [Subscription] = []
    /// The SSRC currently forwarded; a publisher has one per track without simulcast.
    var mediaSsrc: UInt32?
    var lastKeyframeRequest: UInt64?
    var packetsReceived: UInt64 = 0
    /// Of the media SSRC, for the relay's receiver reports to the publisher.
    var receiveStatistics: RtpReceiveStatistics
    /// The last video packets received, by their source sequence number, to answer the NACKs
    /// of every subscriber (RFC 4585 §6.2.1). Audio is not repaired: a late frame is useless.
    var history: RetransmissionBuffer?

    init(description: TrackDescription) {
        self.description = description
        mediaSsrc = description.ssrcs.first
        receiveStatistics = RtpReceiveStatistics(clockRate: description.clockRate)
        if description.kind == .video {
            history = try? RetransmissionBuffer(
                capacity: 512, slotSize: MediaRouter.maximumDatagramLength, maximumAge: 1_000_000_000)
        }
    }
}
