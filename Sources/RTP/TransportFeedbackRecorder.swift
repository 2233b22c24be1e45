/// The receive side of transport-wide congestion control: records when each packet carrying a
/// transport-wide sequence number arrived and builds the feedback that tells the media sender
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1). Sans-IO: the caller records
/// arrivals, asks `nextTimeout` when to come back, and drains `pollFeedback(now:)`. Times are
/// monotonic nanoseconds, on one clock for arrivals and `now`.
///
/// - Every sequence number from the end of the previous feedback up to the highest one received
///   is reported: received ones with their arrival deltas, the rest as not received.
/// - Feedback is due one `interval` after the previous one (the first, one interval after the
///   first packet; after a pause longer than the interval, as soon as a packet arrives).
/// - A gap (a number ahead of the next expected one) makes it due `lossDelay` after the packet
///   that showed it, so the sender learns of loss early; never sooner than `minimumSpacing`
///   after the previous feedback, and not at all if late packets fill the gap first.
/// - A late packet for a number already reported missing moves the start back to it, so the
///   next feedback reports it as received (and repeats the numbers after it).
/// - At most `TransportFeedbackHistory.capacity` numbers are kept. A number so far ahead that
///   the unreported ones and it do not fit (a restart, or a hostile sender) restarts the window:
///   what was unreported is written out at once and the jump is not reported as loss.
/// - Each packet is at most `maxPacketSize` bytes; more statuses go in further packets, as does
///   a packet whose delta does not fit 16 bits.
public struct TransportFeedbackRecorder: Sendable {
    /// Bytes of one feedback packet at most: with the SRTCP index and tag, and IP, UDP and TURN
    /// headers, it stays within one datagram on a 1,280-byte path.
    public static let maxPacketSize = 1_100
    /// The shortest time between two feedbacks: the early one after a loss waits at least this long.
    public static let minimumSpacing: UInt64 = 10_000_000
    /// How long after a gap appears the early feedback goes, so a packet merely reordered can
    /// arrive first.
    public static let lossDelay: UInt64 = 5_000_000
    /// At most this many packets wait after a restart; older ones are dropped (the sender sees a
    /// gap in the feedback packet count).
    static let maxQueued = 16

    public let senderSsrc: UInt32
    public private(set) var mediaSsrc: UInt32 = 0
    /// Nanoseconds between periodic feedbacks, at least `minimumSpacing`.
    public let interval: UInt64
    /// The feedback packet count the next packet will carry.
    public private(set) var feedbackPacketCount: UInt8 = 0

    private var unwrapper = SequenceNumberUnwrapper()
    private var history = TransportFeedbackHistory()
    /// Numbers below this are too old for the history and ignored; it trails `highest` by the
    /// history's capacity, also right after a (re)start.
    private var oldest: Int64 = 0
    /// The highest number received, the end of what the next feedback covers.
    private var highest: Int64 = -1
    /// The first number the next feedback covers; past `highest` when nothing is pending.
    private var windowStart: Int64 = 0

    /// When the pending range stopped being empty.
    private var openedAt: UInt64?
    private var lastFeedbackAt: UInt64?
    private var earlyDue: UInt64?
    /// Set while a feedback that needs several packets is being drained.
    private var roundAt: UInt64?
    /// Packets written out by a restart, ready since `queuedAt`.
    private var queued: [RtcpTransportFeedback] = []
    private var queuedAt: UInt64 = 0

    public init(senderSsrc: UInt32, interval: UInt64 = 50_000_000) {
        self.senderSsrc = senderSsrc
        self.interval = max(interval, Self.minimumSpacing)
    }

    /// The SSRC written as the media source; the relay uses the first media SSRC of the transport.
    public mutating func setMediaSsrc(_ ssrc: UInt32) {
        mediaSsrc = ssrc
    }

    private var pending: Bool { windowStart <= highest }

    /// Records a packet that carried the transport-wide sequence number extension: media, RTX
    /// or padding. Duplicates and numbers older than the history are ignored.
    public mutating func record(sequenceNumber: UInt16, arrival: UInt64) {
        let arrival = Int64(clamping: arrival)
        let time = UInt64(arrival)
        guard unwrapper.last != nil else {
            restart(at: unwrapper.unwrap(sequenceNumber), arrival: arrival, time: time)
            return
        }
        let number = unwrapper.peek(sequenceNumber)
        if number > highest {
            _ = unwrapper.unwrap(sequenceNumber)
            if number - windowStart >= Int64(TransportFeedbackHistory.capacity) {
                queueUnreported(at: time)
                restart(at: number, arrival: arrival, time: time)
                return
            }
            if !pending { openedAt = time }
            if number > highest + 1 {
                let spacing = lastFeedbackAt.map { $0.addingSaturated(Self.minimumSpacing) } ?? 0
                let due = max(time.addingSaturated(Self.lossDelay), spacing)
                earlyDue = min(earlyDue ?? .max, due)
            }
            highest = number
            oldest = max(oldest, number - Int64(TransportFeedbackHistory.capacity) + 1)
            history.insert(number, arrival: arrival)
        } else if number >= oldest, history.arrival(of: number) == nil {
            history.insert(number, arrival: arrival)
            if number < windowStart {
                if !pending { openedAt = time }
                windowStart = number
            }
        }
    }

    /// When `pollFeedback` next has something to give; nil while nothing is pending. A time in
    /// the past means now.
    public var nextTimeout: UInt64? {
        if !queued.isEmpty { return queuedAt }
        guard pending, let openedAt else { return nil }
        if let roundAt { return roundAt }
        return min(periodicDue(openedAt: openedAt), earlyDue ?? .max)
    }

    /// The next feedback packet due at `now`; call until nil.
    public mutating func pollFeedback(now: UInt64) -> RtcpTransportFeedback? {
        if !queued.isEmpty { return queued.removeFirst() }
        guard pending, let openedAt else { return nil }
        if roundAt == nil {
            let periodic = periodicDue(openedAt: openedAt)
            if now < periodic {
                guard let earlyDue, now >= earlyDue else { return nil }
                guard hasGap else {
                    self.earlyDue = nil
                    return nil
                }
            }
            roundAt = now
            lastFeedbackAt = now
            earlyDue = nil
        }
        let packet = nextPacket()
        if !pending {
            roundAt = nil
            self.openedAt = nil
        }
        return packet
    }

    private func periodicDue(openedAt: UInt64) -> UInt64 {
        guard let lastFeedbackAt else { return openedAt.addingSaturated(interval) }
        return max(lastFeedbackAt.addingSaturated(interval), openedAt)
    }

    /// Whether a number in the pending range is still missing.
    private var hasGap: Bool {
        var number = windowStart
        while number < highest {
            if history.arrival(of: number) == nil { return true }
            number += 1
        }
        return false
    }

    /// Starts over from `number`. Numbers just before it still count as late arrivals, so a
    /// packet that the first one overtook is reported too.
    private mutating func restart(at number: Int64, arrival: Int64, time: UInt64) {
        oldest = number - Int64(TransportFeedbackHistory.capacity) + 1
        highest = number
        windowStart = number
        openedAt = time
        earlyDue = nil
        roundAt = nil
        history.insert(number, arrival: arrival)
    }

    /// Writes out everything pending before a restart forgets it.
    private mutating func queueUnreported(at time: UInt64) {
        guard pending else { return }
        while pending { queued.append(nextPacket()) }
        if queued.count > Self.maxQueued { queued.removeFirst(queued.count - Self.maxQueued) }
        queuedAt = time
    }

    /// One packet from `windowStart` on (pending must be true), moving `windowStart` past it.
    private mutating func nextPacket() -> RtcpTransportFeedback {
        let base = windowStart
        let packing = TransportFeedbackPacking(
            from: base, through: highest, history: history, maxPacketSize: Self.maxPacketSize)
        windowStart = base + Int64(packing.statuses.count)
        defer { feedbackPacketCount &+= 1 }
        return RtcpTransportFeedback(
            senderSsrc: senderSsrc, mediaSsrc: mediaSsrc,
            baseSequenceNumber: UInt16(truncatingIfNeeded: base),
            referenceTime: packing.referenceTime, feedbackPacketCount: feedbackPacketCount,
            statuses: packing.statuses)
    }
}

extension UInt64 {
    func addingSaturated(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
