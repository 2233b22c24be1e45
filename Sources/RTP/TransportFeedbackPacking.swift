/// The statuses of one feedback packet, taken from the recorded arrivals: from `start` on,
/// stopping before the first received packet whose delta does not fit 16 bits or that would make
/// the packet larger than `maxPacketSize`. A packet always ends with a received packet, so the
/// numbers after it start the next one; the first received packet always fits.
struct TransportFeedbackPacking {
    /// One reference-time unit, 64 ms, in nanoseconds.
    static let referenceTimeUnit: Int64 = 64_000_000
    /// One receive-delta tick, 250 µs, in nanoseconds.
    static let deltaTick: Int64 = 250_000

    /// The reference time as written: the first arrival in 64 ms units, modulo 2^24, signed.
    private(set) var referenceTime: Int32 = 0
    private(set) var statuses: [TransportFeedbackStatus] = []

    /// `start...end` must hold a received number (the recorder's `highest` always is).
    init(from start: Int64, through end: Int64, history: TransportFeedbackHistory, maxPacketSize: Int) {
        let fixedSize = RtcpHeader.size + RtcpFeedback.ssrcsLength + RtcpTransportFeedback.fixedLength
        // Deltas alone past this cannot fit with even one chunk: stop looking further.
        let deltaBudget = maxPacketSize - fixedSize - 2
        // The statuses count after each received packet: the places a packet may end.
        var ends: [Int] = []
        var deltaBytes = 0
        var missing = 0
        var clock: Int64?  // the arrival time the previous delta brought the receiver to, on the tick grid
        var number = start
        while number <= end, statuses.count + missing < 0xFFFF {
            guard let arrival = history.arrival(of: number) else {
                missing += 1
                number += 1
                continue
            }
            let last: Int64
            if let clock {
                last = clock
            } else {
                let units = arrival / Self.referenceTimeUnit
                referenceTime = Self.wrap(units)
                last = units * Self.referenceTimeUnit
            }
            guard let delta = Int16(exactly: Self.ticks(arrival &- last)) else { break }
            let status = TransportFeedbackStatus.received(delta: delta)
            guard deltaBytes + status.deltaSize <= deltaBudget || ends.isEmpty else { break }
            statuses.append(contentsOf: repeatElement(.notReceived, count: missing))
            missing = 0
            statuses.append(status)
            ends.append(statuses.count)
            deltaBytes += status.deltaSize
            clock = last &+ Int64(delta) &* Self.deltaTick  // wraps only next to Int64.max, where differences still hold
            number += 1
        }
        // Every chunk but the last holds at least 7 statuses, which bounds the size from above;
        // past that bound only the encoder knows the size. It grows with each status, so search
        // for the longest prefix ending at a received packet that fits.
        let chunkBound = 2 * (statuses.count / TransportFeedbackChunk.twoBitCapacity + 1)
        guard fixedSize + chunkBound + deltaBytes + 3 > maxPacketSize,
              size(statuses.count) > maxPacketSize, ends.count > 1 else { return }
        var low = 0  // ends[low] fits: a lone received packet with its leading losses does
        var high = ends.count - 1  // ends[high] does not fit
        while high - low > 1 {
            let middle = (low + high) / 2
            if size(ends[middle]) <= maxPacketSize { low = middle } else { high = middle }
        }
        statuses.removeSubrange(ends[low]...)
    }

    private func size(_ count: Int) -> Int {
        RtcpTransportFeedback(
            senderSsrc: 0, mediaSsrc: 0, baseSequenceNumber: 0, referenceTime: 0,
            feedbackPacketCount: 0, statuses: Array(statuses.prefix(count))
        ).marshalSize
    }

    /// Nanoseconds to ticks, rounded to the nearest, halves away from zero.
    static func ticks(_ nanoseconds: Int64) -> Int64 {
        let half = deltaTick / 2
        return nanoseconds >= 0 ? (nanoseconds + half) / deltaTick : (nanoseconds - half) / deltaTick
    }

    /// `units` modulo 2^24 as the signed 24-bit field holds it.
    static func wrap(_ units: Int64) -> Int32 {
        let low = Int32(truncatingIfNeeded: units & 0xFF_FFFF)
        return low >= 0x80_0000 ? low - 0x100_0000 : low
    }
}
