/// One sent packet as transport-wide feedback reported it: when and how big it was sent, and
/// when it arrived, on the receiver's clock (draft-holmer-rmcat-transport-wide-cc-extensions-01
/// §3.1). The two clocks are unrelated; only differences of arrival times mean something.
public struct PacketResult: Sendable, Equatable {
    /// The transport-wide sequence number, unwrapped.
    public var sequenceNumber: Int64
    /// Monotonic nanoseconds on the sender's clock.
    public var sendTime: UInt64
    /// Bytes on the wire.
    public var size: Int
    /// The probe cluster the packet was sent in, if any.
    public var probeCluster: Int?
    /// Nanoseconds on the receiver's clock, continuous across reference-time wraps; nil when the
    /// feedback says the packet was lost.
    public var arrivalTime: Int64?

    public init(sequenceNumber: Int64, sendTime: UInt64, size: Int, probeCluster: Int?, arrivalTime: Int64?) {
        self.sequenceNumber = sequenceNumber
        self.sendTime = sendTime
        self.size = size
        self.probeCluster = probeCluster
        self.arrivalTime = arrivalTime
    }

    public var isReceived: Bool { arrivalTime != nil }
}
