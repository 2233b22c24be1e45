import RTP

/// A video packet waiting in a subscriber's `PacedQueue`: what forwarding it needs besides its
/// bytes, which the queue keeps.
struct PacedPacket {
    let subscription: Subscription
    let header: RtpHeader
    /// The layer of the track it belongs to.
    let layer: Int
    let marks: PacketMarks
    /// When the router got it (monotonic ns): the time its rewriting is done at, so a layer
    /// switch's timestamps do not count the wait.
    let received: UInt64
    /// When it reached the machine: where the forwarding delay is counted from.
    let arrival: UInt64
}
