/// Spaces packets out at a pacing rate, a leaky bucket refilled every interval, so a frame's
/// packets do not leave in one burst that fills the bottleneck queue and reads as congestion
/// (draft-ietf-rmcat-gcc-02 §4 assumes a paced sender). Sans-IO: the owner keeps the packet
/// bytes and hands the pacer only tickets (an identifier, a kind, a size); the pacer says which
/// ticket to send when.
///
/// Order: audio first (small, latency-sensitive, and sent even over budget), then
/// retransmissions (a receiver is waiting for them), then video, padding last. The queue is
/// bounded: when it holds more than `maximumQueueDelay` of data at the pacing rate, the oldest
/// video is dropped and reported, since late video is worse than a keyframe request.
public struct Pacer: Sendable {
    public enum Kind: Int, Sendable, CaseIterable {
        case audio, retransmission, video, padding
    }

    public struct Ticket: Sendable, Equatable {
        public var id: UInt64
        public var kind: Kind
        /// Bytes on the wire.
        public var size: Int
        /// Nanoseconds, when enqueued.
        public var enqueuedAt: UInt64
    }

    /// What the owner should do now.
    public enum Output: Sendable, Equatable {
        case send(Ticket)
        /// The queue was too long; the owner releases this packet without sending it.
        case drop(Ticket)
    }

    public struct Configuration: Sendable {
        /// The pacing rate is this multiple of the estimate: headroom so that an encoder's
        /// overshoot does not wait in the queue.
        public var pacingFactor = 2.5
        /// Nanoseconds of budget the bucket holds; unsent budget beyond it is lost, which
        /// bounds bursts after an idle spell.
        public var interval: UInt64 = 5_000_000
        public var maximumQueueDelay: UInt64 = 500_000_000
        /// A bound on queued tickets whatever their size.
        public var maximumPackets = 10_000

        public init() {}
    }

    public let configuration: Configuration
    /// Bits per second the bucket drains at.
    public private(set) var pacingRate: Int
    public private(set) var queuedBytes = 0

    private var queues: [RingBuffer<Ticket>] = Kind.allCases.map { _ in RingBuffer() }
    private var drops = RingBuffer<Ticket>()
    private var nextId: UInt64 = 0
    /// Bytes that may be sent now; negative after a packet larger than what was left.
    private var budget = 0
    private var lastRefill: UInt64?

    public init(estimate: Int, configuration: Configuration = .init()) {
        self.configuration = configuration
        pacingRate = Int(configuration.pacingFactor * Double(estimate))
    }

    public var queuedPackets: Int { queues.reduce(0) { $0 + $1.count } }

    /// Follows the estimator's estimate.
    public mutating func setEstimate(_ estimate: Int) {
        pacingRate = max(1, Int(configuration.pacingFactor * Double(estimate)))
    }

    /// Queues a packet; returns its ticket. Dropped video comes out of `poll` as `.drop`.
    public mutating func enqueue(size: Int, kind: Kind, at now: UInt64) -> Ticket {
        let ticket = Ticket(id: nextId, kind: kind, size: size, enqueuedAt: now)
        nextId += 1
        queues[kind.rawValue].append(ticket)
        queuedBytes += size
        enforceBound()
        return ticket
    }

    /// The next ticket to act on at `now`; call until nil, then wait until `nextTimeout`.
    public mutating func poll(at now: UInt64) -> Output? {
        if let dropped = drops.popFirst() { return .drop(dropped) }
        refill(at: now)
        for kind in Kind.allCases {
            guard let ticket = queues[kind.rawValue].first else { continue }
            guard budget > 0 || kind == .audio else { return nil }
            queues[kind.rawValue].popFirst()
            queuedBytes -= ticket.size
            budget -= ticket.size
            return .send(ticket)
        }
        return nil
    }

    /// When `poll` has something to release; nil when the queue is empty.
    public var nextTimeout: UInt64? {
        if !drops.isEmpty { return lastRefill ?? 0 }
        guard queuedPackets > 0 else { return nil }
        guard let lastRefill else { return 0 }
        if budget > 0 || !queues[Kind.audio.rawValue].isEmpty { return lastRefill }
        // The time at which the debt is paid and one more byte is allowed.
        return lastRefill + UInt64(-budget + 1) * 8_000_000_000 / UInt64(max(pacingRate, 1))
    }

    private mutating func refill(at now: UInt64) {
        let ceiling = Int(UInt64(pacingRate) * configuration.interval / 8_000_000_000)
        guard let last = lastRefill else {
            lastRefill = now
            budget = ceiling
            return
        }
        guard now > last else { return }
        let earned = Int((now - last) * UInt64(pacingRate) / 8_000_000_000)
        // Advance the clock only by the time the whole bytes earned took, so the fractions are
        // not lost and slow rates still earn.
        guard earned > 0 else { return }
        if budget + earned >= ceiling {
            budget = max(ceiling, 1)
            lastRefill = now
        } else {
            budget += earned
            lastRefill = last + UInt64(earned) * 8_000_000_000 / UInt64(pacingRate)
        }
    }

    /// Drops the oldest video while the queue would take longer than allowed to drain, or
    /// holds too many tickets.
    private mutating func enforceBound() {
        let video = Kind.video.rawValue
        while !queues[video].isEmpty,
            queuedPackets > configuration.maximumPackets
                || UInt64(queuedBytes) * 8_000_000_000 / UInt64(max(pacingRate, 1)) > configuration.maximumQueueDelay
        {
            let dropped = queues[video].popFirst()!
            queuedBytes -= dropped.size
            drops.append(dropped)
        }
    }
}
