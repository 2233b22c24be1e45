/// Decides when to probe for more bandwidth, and at what rate
/// (draft-ietf-rmcat-gcc-02 §5.5 leaves the rate's start and recovery to the implementation).
///
/// - At start, two clusters at 3× and 6× the initial estimate, so the estimate jumps to the
///   capacity in a round trip or two instead of growing 8% a second.
/// - While each probe comes back at ≥ 70% of its target, another at twice its result, until
///   the path stops keeping up (exponential search, as a slow start does). A short cluster
///   (shorter than `desireDuration`) also goes on when it comes back a quarter above the
///   estimate it was sent from: its result on an open path varies from about 60% to over 100%
///   of its target (Chromium's arrival times, the worker's send times), and a search stopped
///   by that waits `periodicInterval` for the next (a subscriber whose cap was lifted took 9 to
///   over 15 s to climb back to its top layer, in 3 s steps). A result a quarter above the
///   estimate is room found, whatever the target was; long clusters measure well, and their
///   rule decides the wait between desire probes below.
/// - When the estimate has not risen 10% above its recent peak for `periodicInterval`, one at
///   twice the estimate: additive increase near the last congestion point is slow, and this
///   finds capacity that came back. libwebrtc does this only when application-limited; here a
///   sender held down by the estimate probes as well, for the same reason.
/// - Shortly after a large drop, one at 85% of the rate before it, to find the way back when
///   the drop was a transient.
/// - When the sender wants more than the estimate (`desire`: a forwarder whose subscriber gets
///   low layers while its tiles want high ones sends too little for the estimate to grow on its
///   own), a search from the lower of twice the estimate and what is wanted, at most every
///   `desireInterval`, with clusters of `desireDuration`. These probes decide whether a
///   subscriber gets a larger layer, so they last long enough to empty a shaper's token bucket:
///   a 15 ms cluster at 660 kbit/s passes a 400 kbit/s shaper with a 2 KB bucket untouched, and
///   would show capacity that is not there. A desire probe the path did not keep up with
///   doubles the wait before the next (up to `desireMaximumInterval`): on a thin path held
///   by a cap, a probe a second costs a tenth of the link and keeps its queue from draining.
///   A search that kept up, or an estimate that reaches what was wanted, resets the wait.
public struct ProbeController: Sendable {
    public struct Configuration: Sendable {
        public var initialFactors: [Double] = [3, 6]
        public var furtherProbeFactor = 2.0
        /// A result at or above this fraction of its target asks for another, higher probe.
        public var furtherProbeThreshold = 0.7
        /// So does a short cluster's result at or above this multiple of the estimate the probe
        /// was sent from.
        public var furtherProbeGain = 1.25
        /// Nanoseconds without a result after which exponential search stops.
        public var resultTimeout: UInt64 = 1_000_000_000
        public var periodicInterval: UInt64 = 3_000_000_000
        public var periodicFactor = 2.0
        /// A drop below this fraction of the recent peak asks for a probe after `dropDelay`.
        public var dropFraction = 0.66
        public var dropDelay: UInt64 = 1_000_000_000
        public var dropProbeFactor = 0.85
        /// Nanoseconds between looks at a postponed probe.
        public var retryInterval: UInt64 = 100_000_000
        public var minimumPackets = 5
        public var duration: UInt64 = 15_000_000
        /// Nanoseconds of a periodic probe (and the search it starts): long enough to empty a
        /// shaper's token bucket before its later half, which the result is read over. At 15 ms
        /// a cluster at twice a 400 kbit/s estimate fits whole in a 2 KB bucket and comes back
        /// at its target: the estimate jumped to 600–770 kbit/s on a 400 kbit/s path, and a
        /// subscriber stepped up to a layer the path could not carry and froze 3.2–3.5 s.
        public var periodicDuration: UInt64 = 40_000_000
        public var maximumBitrate = 10_000_000
        public var desireInterval: UInt64 = 1_000_000_000
        public var desireDuration: UInt64 = 100_000_000
        public var desireMaximumInterval: UInt64 = 8_000_000_000

        public init() {}
    }

    public let configuration: Configuration
    private var pending = RingBuffer<ProbeRequest>()
    private var nextClusterId = 1
    private var started = false
    /// The last cluster of an exponential search, whose result may ask for the next.
    private var searching: (request: ProbeRequest, sentAt: UInt64, estimate: Int)?
    private var lastProbeTime: UInt64 = 0
    /// The estimate's level at the last rise (or probe), and the peak since.
    private var riseLevel = 0
    private var riseTime: UInt64 = 0
    private var peak = 0
    private var peakTime: UInt64 = 0
    private var dropProbe: (bitrate: Int, at: UInt64)?
    /// A probe postponed because the path was not settled is looked at again no sooner than
    /// this, so a timer already due does not fire in a loop.
    private var notBefore: UInt64 = 0
    /// The wait between desire probes now, and the desire probe whose result is awaited.
    private var desireWait: UInt64
    private var desireCluster: Int?

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        desireWait = configuration.desireInterval
    }

    /// The next probe to send, nil when none is due. The first call asks for the initial ones.
    public mutating func poll(estimate: Int, delayState: DelayState = .normal, at now: UInt64) -> ProbeRequest? {
        if !started {
            started = true
            riseLevel = estimate
            riseTime = now
            peak = estimate
            peakTime = now
            for factor in configuration.initialFactors {
                enqueue(bitrate: Int(factor * Double(estimate)), estimate: estimate, search: true, at: now)
            }
        }
        update(estimate: estimate, delayState: delayState, at: now)
        return pending.popFirst()
    }

    /// When `update` should next be called, nil when nothing is scheduled.
    public var nextTimeout: UInt64? {
        guard started else { return nil }
        var next = max(riseTime, lastProbeTime) + configuration.periodicInterval
        if let dropProbe { next = min(next, dropProbe.at) }
        return max(next, notBefore)
    }

    /// Follows the estimate: notices rises, drops, and when a periodic probe is due. Periodic
    /// and post-drop probes wait while `delayState` is not normal: a probe through a queue
    /// still building or draining measures the queue, and lifting the estimate to it would keep
    /// the queue standing.
    public mutating func update(estimate: Int, delayState: DelayState = .normal, at now: UInt64) {
        guard started else { return }
        if let searching, now > searching.sentAt + configuration.resultTimeout {
            self.searching = nil
            // A desire probe without a result (too much of it lost) did not keep up either.
            if searching.request.clusterId == desireCluster {
                desireCluster = nil
                desireWait = min(2 * desireWait, configuration.desireMaximumInterval)
            }
        }
        if Double(estimate) > 1.1 * Double(riseLevel) {
            riseLevel = estimate
            riseTime = now
        }
        if estimate >= peak || now - peakTime > configuration.periodicInterval {
            peak = estimate
            peakTime = now
        }
        if dropProbe == nil, Double(estimate) < configuration.dropFraction * Double(peak) {
            dropProbe = (Int(configuration.dropProbeFactor * Double(peak)), now + configuration.dropDelay)
            peak = estimate
            peakTime = now
        }
        guard delayState == .normal else {
            notBefore = now + configuration.retryInterval
            return
        }
        if let dropProbe, now >= dropProbe.at {
            self.dropProbe = nil
            if dropProbe.bitrate > estimate {
                enqueue(bitrate: dropProbe.bitrate, estimate: estimate, search: false, at: now)
            }
        }
        if searching == nil, pending.isEmpty, now >= max(riseTime, lastProbeTime) + configuration.periodicInterval {
            // Whatever happens, wait another interval before the next.
            riseLevel = max(riseLevel, peak)
            riseTime = now
            enqueue(
                bitrate: Int(configuration.periodicFactor * Double(estimate)), estimate: estimate, search: true,
                duration: configuration.periodicDuration, at: now)
        }
    }

    /// The sender would send `bitrate` if the estimate allowed: probes toward it when it is
    /// above the estimate and the path is settled.
    public mutating func desire(_ bitrate: Int, estimate: Int, delayState: DelayState = .normal, at now: UInt64) {
        guard started else { return }
        if Double(bitrate) <= 1.1 * Double(estimate) { desireWait = configuration.desireInterval }
        guard delayState == .normal, searching == nil, pending.isEmpty, now >= notBefore,
            Double(bitrate) > 1.1 * Double(estimate), now >= lastProbeTime + desireWait
        else { return }
        desireCluster = nextClusterId
        enqueue(bitrate: min(bitrate, 2 * estimate), estimate: estimate, search: true, duration: configuration.desireDuration, at: now)
    }

    /// A probe's result: continues an exponential search when the path kept up.
    public mutating func probeResult(_ result: ProbeResult, estimate: Int, at now: UInt64) {
        guard let searching, searching.request.clusterId == result.clusterId else { return }
        self.searching = nil
        let keptUp = Double(result.bitrate) >= configuration.furtherProbeThreshold * Double(searching.request.bitrate)
            || (searching.request.duration < configuration.desireDuration
                && Double(result.bitrate) >= configuration.furtherProbeGain * Double(searching.estimate))
        if result.clusterId == desireCluster {
            desireCluster = nil
            desireWait = keptUp ? configuration.desireInterval : min(2 * desireWait, configuration.desireMaximumInterval)
        }
        if keptUp {
            enqueue(
                bitrate: Int(configuration.furtherProbeFactor * Double(result.bitrate)), estimate: estimate, search: true,
                duration: searching.request.duration, at: now)
        }
    }

    private mutating func enqueue(bitrate: Int, estimate: Int, search: Bool, duration: UInt64? = nil, at now: UInt64) {
        let bitrate = min(bitrate, configuration.maximumBitrate)
        // A probe at or below the estimate shows nothing new.
        guard bitrate > estimate else { return }
        let request = ProbeRequest(
            clusterId: nextClusterId, bitrate: bitrate, minimumPackets: configuration.minimumPackets,
            duration: duration ?? configuration.duration)
        nextClusterId += 1
        pending.append(request)
        lastProbeTime = now
        if search { searching = (request, now, estimate) }
    }
}
