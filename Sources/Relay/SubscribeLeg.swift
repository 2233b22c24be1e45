/// What the relay keeps of a transport a client receives on: its subscriptions by outgoing SSRC,
/// and the transport-wide sequence numbers stamped on everything sent to it.
final class SubscribeLeg {
    private(set) var subscriptionsBySsrc: [UInt32: Subscription] = [:]
    /// The transport-wide sequence number of the next packet sent on this transport.
    private(set) var nextTransportSequenceNumber = UInt16.random(in: 0...UInt16.max)

    var subscriptions: Dictionary<UInt32, Subscription>.Values { subscriptionsBySsrc.values }

    func add(_ subscription: Subscription) {
        subscriptionsBySsrc[subscription.ssrc] = subscription
    }

    func remove(ssrc: UInt32) {
        subscriptionsBySsrc[ssrc] = nil
    }

    func removeAll() {
        subscriptionsBySsrc.removeAll()
    }

    /// The subscription whose media or retransmission stream is `ssrc`.
    func subscription(ssrc: UInt32) -> Subscription? {
        subscriptionsBySsrc[ssrc]
    }

    /// A packet carrying `nextTransportSequenceNumber` was queued for sending: `size` bytes
    /// protected, at `now`.
    func packetSent(size: Int, now: UInt64) {
        nextTransportSequenceNumber &+= 1
    }
}
