/// Counters of the whole media plane, summed over its workers.
public struct MediaStatistics: Sendable, Equatable {
    public var forwardedPackets: UInt64 = 0
    public var retransmittedPackets: UInt64 = 0
    public var probePackets: UInt64 = 0
    public var pacedPackets: UInt64 = 0
    public var videoPauses: UInt64 = 0
    public var layerSwitches: UInt64 = 0
    public var iceRestarts: UInt64 = 0
    public var pathMoves: UInt64 = 0
    public var repairedPackets: UInt64 = 0
    public var requestedRetransmissions: UInt64 = 0
    public var drops = DropCounters()
    public var transports = 0
    public var tracks = 0
    /// Tracks published on another worker that this one gets a copy of (a room spread over
    /// workers); not in `tracks`.
    public var mirroredTracks = 0
    /// Relay links to other nodes' workers, the tracks that arrive over them (not in `tracks`),
    /// and what crossed them.
    public var links = 0
    public var linkedTracks = 0
    public var linkTraffic = NodeLinkTraffic()
    public var subscriptions = 0
    /// The bandwidth estimate toward each subscribe transport that sends feedback.
    public var subscribers: [SubscriberEstimate] = []
    /// Transports whose DTLS handshake is done and whose path holds: media can flow.
    public var connectedTransports: Set<TransportID> = []
    /// Receive-to-send time of what the workers sent in answer to a datagram.
    public var forwardingDelay = ForwardingDelayHistogram()
    /// How long video waited for its subscriber's pacing budget (not in `forwardingDelay`).
    public var pacingWait = ForwardingDelayHistogram()

    public init() {}

    static func + (lhs: MediaStatistics, rhs: MediaStatistics) -> MediaStatistics {
        var sum = MediaStatistics()
        sum.forwardedPackets = lhs.forwardedPackets &+ rhs.forwardedPackets
        sum.retransmittedPackets = lhs.retransmittedPackets &+ rhs.retransmittedPackets
        sum.probePackets = lhs.probePackets &+ rhs.probePackets
        sum.pacedPackets = lhs.pacedPackets &+ rhs.pacedPackets
        sum.videoPauses = lhs.videoPauses &+ rhs.videoPauses
        sum.layerSwitches = lhs.layerSwitches &+ rhs.layerSwitches
        sum.iceRestarts = lhs.iceRestarts &+ rhs.iceRestarts
        sum.pathMoves = lhs.pathMoves &+ rhs.pathMoves
        sum.repairedPackets = lhs.repairedPackets &+ rhs.repairedPackets
        sum.requestedRetransmissions = lhs.requestedRetransmissions &+ rhs.requestedRetransmissions
        sum.subscribers = lhs.subscribers + rhs.subscribers
        sum.connectedTransports = lhs.connectedTransports.union(rhs.connectedTransports)
        sum.drops = lhs.drops + rhs.drops
        sum.transports = lhs.transports + rhs.transports
        sum.tracks = lhs.tracks + rhs.tracks
        sum.mirroredTracks = lhs.mirroredTracks + rhs.mirroredTracks
        sum.links = lhs.links + rhs.links
        sum.linkedTracks = lhs.linkedTracks + rhs.linkedTracks
        sum.linkTraffic = lhs.linkTraffic + rhs.linkTraffic
        sum.subscriptions = lhs.subscriptions + rhs.subscriptions
        sum.forwardingDelay = lhs.forwardingDelay + rhs.forwardingDelay
        sum.pacingWait = lhs.pacingWait + rhs.pacingWait
        return sum
    }
}
