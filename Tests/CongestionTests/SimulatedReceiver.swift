import RTP

/// The subscriber's side of transport-wide congestion control: notes when each packet arrived
/// and, on its own schedule, writes `RtcpTransportFeedback` as Chrome does (reference time in
/// 64 ms units modulo 2^24, deltas in 250 µs ticks).
struct SimulatedReceiver {
    struct Entry {
        var sequenceNumber: UInt16
        /// On the simulation's clock; nil when the path dropped the packet.
        var arrival: UInt64?
    }

    /// Added to the simulation's clock to get the receiver's, so tests can put the reference
    /// time's wrap where they like.
    var clockOffset: UInt64 = 0
    private var entries: [Entry] = []
    private var nextToReport = 0
    private var feedbackCount: UInt8 = 0

    init(clockOffset: UInt64 = 0) {
        self.clockOffset = clockOffset
    }

    mutating func packetSent(sequenceNumber: UInt16, arrival: UInt64?) {
        entries.append(Entry(sequenceNumber: sequenceNumber, arrival: arrival))
    }

    /// Feedback for the packets that arrived by `time` and the losses before them, nil when there
    /// is nothing new.
    mutating func feedback(at time: UInt64) -> RtcpTransportFeedback? {
        // Packets up to the last one that has arrived; later ones are in flight, or lost with
        // nothing after them yet to show it.
        var end = nextToReport
        var index = nextToReport
        while index < entries.count {
            if let arrival = entries[index].arrival {
                guard arrival <= time else { break }
                end = index + 1
            }
            index += 1
        }
        guard end > nextToReport else { return nil }
        let range = nextToReport..<end
        nextToReport = end
        let firstArrival = entries[range].lazy.compactMap(\.arrival).first! + clockOffset
        let referenceUnits = firstArrival / 64_000_000
        var previousTicks = Int64(referenceUnits * 256)
        var statuses: [TransportFeedbackStatus] = []
        for entry in entries[range] {
            guard let arrival = entry.arrival else {
                statuses.append(.notReceived)
                continue
            }
            let ticks = Int64((arrival + clockOffset) / 250_000)
            statuses.append(.received(delta: Int16(ticks - previousTicks)))
            previousTicks = ticks
        }
        let raw = UInt32(referenceUnits & 0xFF_FFFF)
        let referenceTime = Int32(bitPattern: raw << 8) >> 8
        defer { feedbackCount &+= 1 }
        return RtcpTransportFeedback(
            senderSsrc: 1, mediaSsrc: 2, baseSequenceNumber: entries[range.lowerBound].sequenceNumber,
            referenceTime: referenceTime, feedbackPacketCount: feedbackCount, statuses: statuses)
    }
}
