/// Decides which packets of one incoming stream to ask for again (RFC 4585 §6.2.1): a gap in
/// the sequence numbers becomes a list of missing packets, each asked for at once and again
/// every `retryInterval` up to `maximumRequests` times, and forgotten once it arrives, is too
/// far behind, or too old to be of use. Sans-IO: it takes sequence numbers and time, and gives
/// the numbers to put in the next NACK and when it next has some.
public struct NackGenerator: Sendable {
    struct Missing: Sendable {
        var sequenceNumber: Int64
        var firstMissed: UInt64
        var requests: Int
        var nextRequest: UInt64
    }

    /// At most this many packets are waited for; a larger gap keeps only its newest.
    public static let maximumMissing = 256
    /// A packet further behind the newest than this is given up: a frame that late is useless.
    public static let maximumDistance: Int64 = 1_000

    public let retryInterval: UInt64
    public let maximumRequests: Int
    public let maximumAge: UInt64
    private var unwrapper = SequenceNumberUnwrapper()
    private var highest: Int64?
    private var missing: [Missing] = []

    /// - Parameters:
    ///   - retryInterval: how long to wait for a retransmission before asking again; about a
    ///     round trip.
    ///   - maximumRequests: how many times one packet is asked for.
    ///   - maximumAge: how long a packet is waited for at all.
    public init(retryInterval: UInt64 = 100_000_000, maximumRequests: Int = 5, maximumAge: UInt64 = 1_000_000_000) {
        self.retryInterval = retryInterval
        self.maximumRequests = maximumRequests
        self.maximumAge = maximumAge
    }

    /// The packets waited for, oldest first.
    public var missingSequenceNumbers: [UInt16] {
        missing.map { UInt16(truncatingIfNeeded: $0.sequenceNumber) }
    }

    /// A packet of the stream arrived (a retransmission included).
    public mutating func received(_ sequenceNumber: UInt16, now: UInt64) {
        let extended = unwrapper.unwrap(sequenceNumber)
        guard let highest else {
            self.highest = extended
            return
        }
        if extended > highest {
            let gap = extended - highest - 1
            if gap > Self.maximumDistance {
                // A jump this large is a restart, not loss worth repairing.
                missing.removeAll()
            } else if gap > 0 {
                let first = max(highest + 1, extended - Int64(Self.maximumMissing))
                for number in first..<extended {
                    missing.append(Missing(sequenceNumber: number, firstMissed: now, requests: 0, nextRequest: now))
                }
            }
            self.highest = extended
            missing.removeAll { extended - $0.sequenceNumber > Self.maximumDistance }
            if missing.count > Self.maximumMissing { missing.removeFirst(missing.count - Self.maximumMissing) }
        } else if let index = missing.firstIndex(where: { $0.sequenceNumber == extended }) {
            missing.remove(at: index)
        }
    }

    /// When `pollNack` next has numbers to give, nil when nothing is waited for.
    public var nextTimeout: UInt64? {
        missing.lazy.map(\.nextRequest).min()
    }

    /// The sequence numbers to ask for now, oldest first; each counts as asked once more.
    /// Packets asked for `maximumRequests` times or waited for longer than `maximumAge` are
    /// given up.
    public mutating func pollNack(now: UInt64) -> [UInt16] {
        missing.removeAll { $0.requests >= maximumRequests || now >= $0.firstMissed + maximumAge }
        var due: [UInt16] = []
        for index in missing.indices where missing[index].nextRequest <= now {
            due.append(UInt16(truncatingIfNeeded: missing[index].sequenceNumber))
            missing[index].requests += 1
            missing[index].nextRequest = now + retryInterval
        }
        return due
    }
}
