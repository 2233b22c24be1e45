/// How long the relay held what it sent in answer to a datagram: from the kernel's receive
/// timestamp of the datagram to the return of the `sendmmsg` that carried the answer (its
/// forwarded copies, or a retransmission or feedback sent right then). Time the datagram spent
/// queued in the socket before the worker read it counts; the network on either side does not,
/// nor does video's wait for its subscriber's pacing budget, which the router keeps in a
/// histogram of its own (`MediaRouter.pacingWaits`), as a network's queue would hold it.
/// Buckets of a 1-2-5 series from 10 µs to 1 s, counted without allocating.
public struct ForwardingDelayHistogram: Sendable, Equatable {
    /// Upper bounds of the buckets, in nanoseconds; a last bucket holds everything above.
    public static let upperBoundsNanoseconds: [UInt64] = [
        10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000,
        50_000_000, 100_000_000, 200_000_000, 500_000_000, 1_000_000_000,
    ]
    /// Datagrams by bucket: `counts[i]` took at most `upperBoundsNanoseconds[i]` and more than
    /// the bound before it; the last, more than a second.
    public private(set) var counts = [UInt64](repeating: 0, count: upperBoundsNanoseconds.count + 1)
    public private(set) var sumNanoseconds: UInt64 = 0
    public private(set) var count: UInt64 = 0

    public init() {}

    /// Records, for each nonzero time in `origins` not after `now`, the delay from it to `now`:
    /// a batch's datagrams at once, the buckets made writable once rather than per datagram.
    mutating func record(origins: UnsafeBufferPointer<UInt64>, at now: UInt64) {
        var sum: UInt64 = 0
        var recorded: UInt64 = 0
        counts.withUnsafeMutableBufferPointer { buckets in
            for origin in origins where origin != 0 && origin <= now {
                Self.add(now - origin, to: buckets)
                sum &+= now - origin
                recorded &+= 1
            }
        }
        sumNanoseconds &+= sum
        count &+= recorded
    }

    /// Records one delay.
    mutating func record(_ nanoseconds: UInt64) {
        counts.withUnsafeMutableBufferPointer { Self.add(nanoseconds, to: $0) }
        sumNanoseconds &+= nanoseconds
        count &+= 1
    }

    private static func add(_ nanoseconds: UInt64, to buckets: UnsafeMutableBufferPointer<UInt64>) {
        var bucket = 0
        while bucket < upperBoundsNanoseconds.count, nanoseconds > upperBoundsNanoseconds[bucket] { bucket += 1 }
        buckets[bucket] &+= 1
    }

    static func + (lhs: ForwardingDelayHistogram, rhs: ForwardingDelayHistogram) -> ForwardingDelayHistogram {
        var sum = lhs
        for bucket in sum.counts.indices { sum.counts[bucket] &+= rhs.counts[bucket] }
        sum.sumNanoseconds &+= rhs.sumNanoseconds
        sum.count &+= rhs.count
        return sum
    }
}
