import Congestion

/// A sender that follows REMB, as aiortc and older browsers do, sending to a receiver with a
/// `ReceiveSideEstimator` over a `SimulatedLink`, on simulated time in 1 ms steps: 1200-byte
/// packets stamped with abs-send-time at min(last REMB, offered rate), the REMBs delivered back
/// after the propagation delay; every second the receiver reports what it lost, as the relay
/// does with its receiver reports.
struct SimulatedRembCall {
    struct Sample {
        var time: UInt64
        var target: Int
        var queueDelay: UInt64
    }

    static let packetSize = 1_200
    static let step: UInt64 = 1_000_000

    var estimator = ReceiveSideEstimator()
    var link: SimulatedLink
    var offeredBitrate: Int
    /// The rate the sender aims at: its own start value until the first REMB.
    private(set) var target: Int
    private(set) var now: UInt64 = 0
    private(set) var samples: [Sample] = []
    private(set) var reports: [(time: UInt64, bitrate: Int)] = []
    private var credit = 0.0
    private var sentSinceReport = 0
    private var lostSinceReport = 0
    private var inFlight: [(arrival: UInt64, absSendTime: UInt32)] = []
    private var inFlightReports: [(deliverAt: UInt64, bitrate: Int)] = []
    /// Added to the sender's clock, so runs start away from zero and cross a 64 s wrap.
    private let senderClockOffset: UInt64

    init(link: SimulatedLink, offeredBitrate: Int, startBitrate: Int = 500_000, senderClockOffset: UInt64 = 50_000_000_000) {
        self.link = link
        self.offeredBitrate = offeredBitrate
        self.target = startBitrate
        self.senderClockOffset = senderClockOffset
    }

    mutating func run(until end: UInt64) {
        while now < end {
            tick()
            now += Self.step
        }
    }

    private mutating func tick() {
        while let first = inFlightReports.first, first.deliverAt <= now {
            inFlightReports.removeFirst()
            target = first.bitrate
        }
        credit = min(credit + Double(min(target, offeredBitrate)) * Double(Self.step) / 8e9, Double(2 * Self.packetSize))
        while credit >= Double(Self.packetSize) {
            credit -= Double(Self.packetSize)
            let absSendTime = UInt32(((now + senderClockOffset) << 18) / 1_000_000_000 & 0xFF_FFFF)
            sentSinceReport += 1
            if let arrival = link.send(size: Self.packetSize, at: now) {
                inFlight.append((arrival, absSendTime))
            } else {
                lostSinceReport += 1
            }
        }
        if now % 1_000_000_000 == 0, sentSinceReport > 0 {
            estimator.lossReported(lost: lostSinceReport, expected: sentSinceReport, at: now)
            sentSinceReport = 0
            lostSinceReport = 0
        }
        while let first = inFlight.first, first.arrival <= now {
            inFlight.removeFirst()
            estimator.packetArrived(absSendTime: first.absSendTime, size: Self.packetSize, at: first.arrival)
        }
        if let bitrate = estimator.pollReport(at: now) {
            reports.append((now, bitrate))
            inFlightReports.append((now + link.propagationDelay, bitrate))
        }
        if now % 100_000_000 == 0 {
            samples.append(Sample(time: now, target: target, queueDelay: link.queueDelay(at: now)))
        }
    }

    /// The first sampled time at or after `start` when `condition` held of the sender's target.
    func firstTime(from start: UInt64, where condition: (Int) -> Bool) -> UInt64? {
        samples.first { $0.time >= start && condition($0.target) }?.time
    }

    func target(at time: UInt64) -> Int {
        samples.last { $0.time <= time }?.target ?? 0
    }

    func maximumQueueDelay(from start: UInt64, to end: UInt64) -> UInt64 {
        samples.filter { $0.time >= start && $0.time <= end }.map(\.queueDelay).max() ?? 0
    }

    func trace(from start: UInt64, to end: UInt64) -> String {
        samples.filter { $0.time >= start && $0.time <= end && $0.time % 500_000_000 == 0 }
            .map { "t=\(Double($0.time) / 1e9)s target=\($0.target / 1000)k q=\($0.queueDelay / 1_000_000)ms" }
            .joined(separator: "\n")
    }
}
