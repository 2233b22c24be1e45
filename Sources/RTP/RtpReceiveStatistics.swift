/// What a receiver knows of one incoming RTP stream, kept as RFC 3550 Appendix A.1, A.3 and
/// A.8 describe, to fill the report block it sends back about that stream (§6.4.1).
/// Recording a packet is a few integer operations and allocates nothing.
public struct RtpReceiveStatistics: Sendable {
    public let clockRate: UInt32
    public private(set) var packetsReceived: UInt64 = 0
    private var baseSequence: UInt32 = 0
    /// The highest sequence number received, extended past 16 bits.
    private var highestExtended: Int64 = 0
    private var expectedPrior: UInt32 = 0
    private var receivedPrior: UInt64 = 0
    private var lastTransit: Int64?
    /// Interarrival jitter in timestamp units, scaled by 16 as in A.8's integer form.
    private var scaledJitter: UInt32 = 0
    private var lastSenderReport: UInt32 = 0
    private var lastSenderReportArrival: UInt64?

    public init(clockRate: UInt32) {
        self.clockRate = clockRate
    }

    /// One packet of the stream, arrived at `arrival` (monotonic nanoseconds).
    public mutating func record(sequenceNumber: UInt16, timestamp: UInt32, arrival: UInt64) {
        if packetsReceived == 0 {
            baseSequence = UInt32(sequenceNumber)
            highestExtended = Int64(sequenceNumber)
        } else {
            // Forward by less than half the space is new (wrapping counts a cycle); anything
            // else is a late or duplicated packet (A.1).
            highestExtended = max(highestExtended, SequenceNumberUnwrapper.extend(sequenceNumber, near: highestExtended))
        }
        packetsReceived &+= 1

        // A.8: transit time in timestamp units; its variation smoothed with gain 1/16.
        let arrivalUnits = Int64(truncatingIfNeeded: arrival / 1000 &* UInt64(clockRate) / 1_000_000)
        let transit = arrivalUnits &- Int64(timestamp)
        if let lastTransit {
            let difference = UInt32(truncatingIfNeeded: abs(transit &- lastTransit))
            let scaled = Int64(difference) &- Int64((scaledJitter &+ 8) >> 4)
            scaledJitter = UInt32(truncatingIfNeeded: max(0, Int64(scaledJitter) &+ scaled))
        }
        lastTransit = transit
    }

    /// A sender report about this stream arrived: its NTP time anchors LSR and DLSR (§6.4.1).
    public mutating func recordSenderReport(ntpTimestamp: UInt64, arrival: UInt64) {
        lastSenderReport = NtpTime.middle32(ntpTimestamp)
        lastSenderReportArrival = arrival
    }

    /// Cycles in the upper 16 bits, the highest number in the lower (RFC 3550 §6.4.1).
    public var extendedHighestSequenceNumber: UInt32 { UInt32(truncatingIfNeeded: highestExtended) }

    public var jitter: UInt32 { scaledJitter >> 4 }

    /// Packets expected and lost in the interval the last report block covered.
    public private(set) var lastInterval: (expected: Int64, lost: Int64) = (0, 0)

    /// The report block for this stream at `now`; starts a new interval for the fraction lost.
    public mutating func reportBlock(ssrc: UInt32, now: UInt64) -> RtcpReportBlock {
        let expected = extendedHighestSequenceNumber &- baseSequence &+ 1
        let lost = Int64(expected) - Int64(packetsReceived)
        let range = RtcpReportBlock.cumulativeLostRange
        let cumulativeLost = Int32(clamping: min(max(lost, Int64(range.lowerBound)), Int64(range.upperBound)))

        let expectedInterval = Int64(expected &- expectedPrior)
        let receivedInterval = Int64(packetsReceived &- receivedPrior)
        expectedPrior = expected
        receivedPrior = packetsReceived
        let lostInterval = expectedInterval - receivedInterval
        lastInterval = (expected: max(expectedInterval, 0), lost: max(lostInterval, 0))
        let fractionLost = expectedInterval <= 0 || lostInterval <= 0 ? 0 : UInt8(min(255, (lostInterval << 8) / expectedInterval))

        var delay: UInt32 = 0
        if let arrival = lastSenderReportArrival, now >= arrival {
            // DLSR is in units of 1/65536 s.
            delay = UInt32(truncatingIfNeeded: (now - arrival) * 65536 / 1_000_000_000)
        }
        return RtcpReportBlock(
            ssrc: ssrc, fractionLost: fractionLost, cumulativeLost: cumulativeLost,
            extendedHighestSequenceNumber: extendedHighestSequenceNumber, jitter: jitter,
            lastSenderReport: lastSenderReportArrival == nil ? 0 : lastSenderReport,
            delaySinceLastSenderReport: delay)
    }
}
