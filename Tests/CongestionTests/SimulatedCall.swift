import Congestion
import RTP

/// A relay sending video to one subscriber over a `SimulatedLink`, on simulated time in 1 ms
/// steps: media at min(estimate, offered rate) in 1200-byte packets, probe clusters when the
/// estimator asks (every packet sent during a cluster belongs to it), feedback from the
/// receiver every 50 ms, delivered back after the propagation delay.
struct SimulatedCall {
    struct Sample {
        var time: UInt64
        var estimate: Int
        var queueDelay: UInt64
    }

    static let packetSize = 1_200
    static let step: UInt64 = 1_000_000
    static let feedbackInterval: UInt64 = 50_000_000

    var estimator: BandwidthEstimator
    var link: SimulatedLink
    var receiver: SimulatedReceiver
    /// Bits per second the application would send if the estimate allowed.
    var offeredBitrate: Int
    /// Times (nanoseconds) when the sender learns that the path moved.
    var pathChanges: [UInt64] = []
    private(set) var now: UInt64 = 0
    private(set) var samples: [Sample] = []
    private(set) var probesSent = 0
    /// Starts near the wrap so every run crosses 65535 → 0.
    private var sequenceNumber: UInt16 = 65_000
    private var mediaCredit = 0.0
    private var probes: [ProbeRequest] = []
    private var probe: (request: ProbeRequest, remaining: Int, nextSend: UInt64)?
    private var inFlightFeedback: [(deliverAt: UInt64, feedback: RtcpTransportFeedback)] = []
    private var nextFeedback = feedbackInterval

    init(
        link: SimulatedLink, offeredBitrate: Int, initialBitrate: Int = 300_000,
        receiverClockOffset: UInt64 = 0
    ) {
        estimator = BandwidthEstimator(configuration: .init(initialBitrate: initialBitrate))
        self.link = link
        self.offeredBitrate = offeredBitrate
        receiver = SimulatedReceiver(clockOffset: receiverClockOffset)
    }

    var estimate: Int { estimator.estimate }

    /// Runs until `end` (nanoseconds).
    mutating func run(until end: UInt64) {
        while now < end {
            tick()
            now += Self.step
        }
    }

    private mutating func tick() {
        if pathChanges.contains(now) { estimator.pathChanged() }
        while let first = inFlightFeedback.first, first.deliverAt <= now {
            inFlightFeedback.removeFirst()
            estimator.handle(first.feedback, at: now)
        }
        if let timeout = estimator.nextTimeout, timeout <= now {
            estimator.handleTimeout(at: now)
        }
        while let request = estimator.pollProbe(at: now) { probes.append(request) }
        if probe == nil, !probes.isEmpty {
            let request = probes.removeFirst()
            probe = (request, request.packetCount(packetSize: Self.packetSize), now)
            probesSent += 1
        }
        if var active = probe {
            let interval = active.request.packetInterval(packetSize: Self.packetSize)
            while active.remaining > 0, active.nextSend < now + Self.step {
                send(at: active.nextSend, probeCluster: active.request.clusterId)
                active.remaining -= 1
                active.nextSend += interval
            }
            probe = active.remaining > 0 ? active : nil
        } else {
            let rate = min(estimator.estimate, offeredBitrate)
            mediaCredit = min(mediaCredit + Double(rate) * Double(Self.step) / 8e9, Double(2 * Self.packetSize))
            while mediaCredit >= Double(Self.packetSize) {
                send(at: now, probeCluster: nil)
                mediaCredit -= Double(Self.packetSize)
            }
        }
        if now >= nextFeedback {
            nextFeedback += Self.feedbackInterval
            if let feedback = receiver.feedback(at: now) {
                inFlightFeedback.append((now + link.propagationDelay, feedback))
            }
        }
        if now % 100_000_000 == 0 {
            samples.append(Sample(time: now, estimate: estimator.estimate, queueDelay: link.queueDelay(at: now)))
        }
    }

    private mutating func send(at time: UInt64, probeCluster: Int?) {
        let arrival = link.send(size: Self.packetSize, at: time)
        receiver.packetSent(sequenceNumber: sequenceNumber, arrival: arrival)
        estimator.packetSent(
            transportSequenceNumber: sequenceNumber, size: Self.packetSize, probeCluster: probeCluster, at: time)
        sequenceNumber &+= 1
    }

    /// The first sampled time at or after `start` when `condition` held of the estimate.
    func firstTime(from start: UInt64, where condition: (Int) -> Bool) -> UInt64? {
        samples.first { $0.time >= start && condition($0.estimate) }?.time
    }

    /// The estimate sampled at `time` (a multiple of 100 ms), or the latest before it.
    func estimate(at time: UInt64) -> Int {
        samples.last { $0.time <= time }?.estimate ?? 0
    }

    func lowestEstimate(from start: UInt64, to end: UInt64) -> Int {
        samples.filter { $0.time >= start && $0.time <= end }.map(\.estimate).min() ?? 0
    }

    func maximumQueueDelay(from start: UInt64, to end: UInt64) -> UInt64 {
        samples.filter { $0.time >= start && $0.time <= end }.map(\.queueDelay).max() ?? 0
    }

    /// Estimate path, one line per second, for failure messages.
    func trace(from start: UInt64, to end: UInt64) -> String {
        samples.filter { $0.time >= start && $0.time <= end && $0.time % 500_000_000 == 0 }
            .map { "t=\(Double($0.time) / 1e9)s est=\($0.estimate / 1000)k q=\($0.queueDelay / 1_000_000)ms" }
            .joined(separator: "\n")
    }
}
