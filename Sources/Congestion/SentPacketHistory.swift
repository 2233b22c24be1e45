import RTP

/// The packets recently sent to one subscriber, keyed by transport-wide sequence number, so
/// that transport-wide feedback can be turned into per-packet results: send time, size, and
/// arrival time or loss (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
///
/// A fixed ring of slots, slot `unwrapped sequence number mod capacity`, allocated at init:
/// recording a packet allocates nothing. A slot is looked up by comparing its unwrapped
/// sequence number, so a slot overwritten by a later trip around the ring is never mistaken
/// for the packet asked about. Packets sent more than `maximumAge` before the newest are
/// forgotten: feedback that late is of no use to the estimator.
public struct SentPacketHistory: Sendable {
    /// How feedback has described a packet so far; a packet is reported received once.
    enum Report: UInt8, Sendable {
        case none, lost, received
    }

    struct Slot: Sendable {
        var sequenceNumber: Int64 = -1
        var sendTime: UInt64 = 0
        var size: Int32 = 0
        /// -1 when the packet is not part of a probe.
        var probeCluster: Int32 = -1
        var report = Report.none
    }

    public static let defaultCapacity = 8_192
    public static let defaultMaximumAge: UInt64 = 2_000_000_000

    /// The number of packets remembered, a power of two.
    public let capacity: Int
    /// Nanoseconds: packets sent this long before the newest are forgotten.
    public let maximumAge: UInt64

    private var slots: [Slot]
    private var unwrapper = SequenceNumberUnwrapper()
    private var newestSendTime: UInt64 = 0
    /// The last feedback's reference time, 24 bits, and its continuous extension in 64 ms
    /// units. Chrome writes its clock modulo 2^24 units (about 12.4 days), so the reference time
    /// is taken as a step from the previous one, keeping arrival times monotonic across the wrap.
    private var lastReferenceTime: UInt32?
    private var extendedReferenceTime: Int64 = 0

    /// `capacity` is rounded up to a power of two.
    public init(capacity: Int = defaultCapacity, maximumAge: UInt64 = defaultMaximumAge) {
        var rounded = 16
        while rounded < capacity { rounded *= 2 }
        self.capacity = rounded
        self.maximumAge = maximumAge
        slots = Array(repeating: Slot(), count: rounded)
    }

    /// Records a packet just sent; the sequence numbers are the transport-wide ones the relay
    /// writes, in the order it sends them.
    public mutating func packetSent(sequenceNumber: UInt16, size: Int, probeCluster: Int? = nil, at now: UInt64) {
        let extended = unwrapper.unwrap(sequenceNumber)
        newestSendTime = max(newestSendTime, now)
        slots[index(extended)] = Slot(
            sequenceNumber: extended, sendTime: now, size: Int32(clamping: size),
            probeCluster: probeCluster.map { Int32(clamping: $0) } ?? -1)
    }

    /// The packets `feedback` reports on for the first time, in send order. A packet reported
    /// received again, or lost again, is left out; one reported lost and later received comes
    /// back once more, received. Sequence numbers never sent, or sent longer than `maximumAge`
    /// ago, are ignored.
    public mutating func process(_ feedback: RtcpTransportFeedback) -> [PacketResult] {
        var results: [PacketResult] = []
        results.reserveCapacity(feedback.statuses.count)
        var time = referenceTimeMicroseconds(feedback.referenceTime)
        var sequenceNumber = unwrapper.peek(feedback.baseSequenceNumber)
        for status in feedback.statuses {
            defer { sequenceNumber += 1 }
            var arrival: Int64?
            if let delta = status.delta {
                time += Int64(delta) * TransportFeedbackStatus.deltaTickMicroseconds
                arrival = time * 1_000
            }
            guard sequenceNumber >= 0 else { continue }
            let slotIndex = index(sequenceNumber)
            let slot = slots[slotIndex]
            guard slot.sequenceNumber == sequenceNumber, slot.sendTime + maximumAge >= newestSendTime
            else { continue }
            switch (slot.report, arrival) {
            case (.received, _), (.lost, nil): continue
            case (_, nil): slots[slotIndex].report = .lost
            case (_, .some): slots[slotIndex].report = .received
            }
            results.append(
                PacketResult(
                    sequenceNumber: sequenceNumber, sendTime: slot.sendTime, size: Int(slot.size),
                    probeCluster: slot.probeCluster >= 0 ? Int(slot.probeCluster) : nil,
                    arrivalTime: arrival))
        }
        return results
    }

    /// The reference time in microseconds, continued from the previous feedback's: the step
    /// between the two is taken modulo 2^24 as a signed 24-bit number.
    private mutating func referenceTimeMicroseconds(_ referenceTime: Int32) -> Int64 {
        let raw = UInt32(bitPattern: referenceTime) & 0xFF_FFFF
        if let last = lastReferenceTime {
            let step = Int32(bitPattern: (raw &- last) << 8) >> 8
            extendedReferenceTime += Int64(step)
        } else {
            extendedReferenceTime = Int64(raw)
        }
        lastReferenceTime = raw
        return extendedReferenceTime * RtcpTransportFeedback.referenceTimeTickMicroseconds
    }

    private func index(_ sequenceNumber: Int64) -> Int { Int(sequenceNumber) & (capacity - 1) }
}
