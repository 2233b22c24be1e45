/// What crossed a relay link, one way and the other; summed over the links of the media plane in
/// `MediaStatistics`.
public struct NodeLinkTraffic: Sendable, Equatable {
    public var packetsSent: UInt64 = 0
    public var bytesSent: UInt64 = 0
    public var packetsReceived: UInt64 = 0
    public var bytesReceived: UInt64 = 0
    /// Link packets sent again because the other end missed them.
    public var retransmissions: UInt64 = 0
    /// Link packets this end missed and asked for again.
    public var requestedRetransmissions: UInt64 = 0
    public var keyframeRequestsSent: UInt64 = 0
    public var keyframeRequestsReceived: UInt64 = 0

    public init() {}

    static func + (lhs: NodeLinkTraffic, rhs: NodeLinkTraffic) -> NodeLinkTraffic {
        var sum = NodeLinkTraffic()
        sum.packetsSent = lhs.packetsSent &+ rhs.packetsSent
        sum.bytesSent = lhs.bytesSent &+ rhs.bytesSent
        sum.packetsReceived = lhs.packetsReceived &+ rhs.packetsReceived
        sum.bytesReceived = lhs.bytesReceived &+ rhs.bytesReceived
        sum.retransmissions = lhs.retransmissions &+ rhs.retransmissions
        sum.requestedRetransmissions = lhs.requestedRetransmissions &+ rhs.requestedRetransmissions
        sum.keyframeRequestsSent = lhs.keyframeRequestsSent &+ rhs.keyframeRequestsSent
        sum.keyframeRequestsReceived = lhs.keyframeRequestsReceived &+ rhs.keyframeRequestsReceived
        return sum
    }
}
