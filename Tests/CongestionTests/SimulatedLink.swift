/// One direction of a path: a bottleneck of some capacity (which may change over time) behind a
/// drop-tail FIFO queue, then a fixed propagation delay, and optional random loss. Arrival
/// times are decided when a packet enters, which a FIFO allows.
struct SimulatedLink {
    /// Bits per second from each time on (nanoseconds), in time order.
    var capacity: [(from: UInt64, bitsPerSecond: Int)]
    var propagationDelay: UInt64 = 40_000_000
    /// Bytes the queue holds before it drops arriving packets.
    var queueLimit = 100_000
    /// Probability that a packet is lost at random.
    var lossRate = 0.0
    /// Times (nanoseconds) when nothing gets through: the path is gone.
    var outages: [Range<UInt64>] = []
    var random = SeededGenerator(seed: 1)

    /// When the bottleneck finishes serialising what it has queued.
    private var busyUntil: UInt64 = 0

    init(bitsPerSecond: Int) {
        capacity = [(0, bitsPerSecond)]
    }

    func capacity(at time: UInt64) -> Int {
        capacity.last { $0.from <= time }?.bitsPerSecond ?? capacity[0].bitsPerSecond
    }

    /// Nanoseconds a packet entering now waits before its turn.
    func queueDelay(at time: UInt64) -> UInt64 { busyUntil > time ? busyUntil - time : 0 }

    /// The arrival time of a packet of `size` bytes sent at `time`, nil when it is dropped.
    mutating func send(size: Int, at time: UInt64) -> UInt64? {
        if outages.contains(where: { $0.contains(time) }) { return nil }
        let rate = capacity(at: time)
        let queuedBytes = Int(queueDelay(at: time) * UInt64(rate) / 8_000_000_000)
        if queuedBytes + size > queueLimit { return nil }
        let start = max(time, busyUntil)
        busyUntil = start + UInt64(size) * 8_000_000_000 / UInt64(rate)
        if lossRate > 0, Double.random(in: 0..<1, using: &random) < lossRate { return nil }
        return busyUntil + propagationDelay
    }
}
