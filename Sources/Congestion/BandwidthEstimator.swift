import RTP

/// The send-side bandwidth estimate toward one subscriber (draft-ietf-rmcat-gcc-02 with
/// transport-wide feedback): the smaller of a delay-based rate (trendline detector and AIMD,
/// §5) and a loss-based bound (§6), lifted by probe results, within the configured range.
///
/// Sans-IO: the owner reports each packet sent and each transport-wide feedback received,
/// calls `handleTimeout` at `nextTimeout`, and drains `pollProbe` after each call, sending the
/// probe clusters it returns.
public struct BandwidthEstimator: Sendable {
    public let configuration: Configuration
    /// Bits per second: min(delay-based, loss-based), within [minimum, maximum].
    public private(set) var estimate: Int

    private var history = SentPacketHistory()
    private var acknowledged = AcknowledgedBitrateEstimator()
    private var trendline = TrendlineEstimator()
    private var aimd: AimdRateControl
    private var lossBound: LossBasedBound
    private var probes: ProbeController
    private var probeResults = ProbeBitrateEstimator()
    /// The first packet sent since the last feedback, for the feedback timeout.
    private var sentSinceFeedback: UInt64?
    private var lastTimeoutCut: UInt64?
    /// The estimate before the cuts for silent feedback began, while they go on.
    private var estimateBeforeSilence: Int?

    public init(configuration: BandwidthEstimator.Configuration = .init()) {
        self.configuration = configuration
        var aimdConfiguration = AimdRateControl.Configuration()
        aimdConfiguration.initialBitrate = configuration.initialBitrate
        aimdConfiguration.minimumBitrate = configuration.minimumBitrate
        aimdConfiguration.maximumBitrate = configuration.maximumBitrate
        aimd = AimdRateControl(configuration: aimdConfiguration)
        var lossConfiguration = LossBasedBound.Configuration()
        lossConfiguration.minimumBitrate = configuration.minimumBitrate
        lossConfiguration.maximumBitrate = configuration.maximumBitrate
        lossBound = LossBasedBound(configuration: lossConfiguration)
        var probeConfiguration = ProbeController.Configuration()
        probeConfiguration.maximumBitrate = configuration.maximumBitrate
        probes = ProbeController(configuration: probeConfiguration)
        estimate = configuration.initialBitrate
    }

    /// The fraction of packets lost over the last measured interval.
    public var lossFraction: Double { lossBound.lossFraction }
    /// The delay-based detector's current conclusion.
    public var delayState: DelayState { trendline.state }
    /// Bits per second the receiver reported receiving, nil until measured.
    public var acknowledgedBitrate: Int? { acknowledged.bitrate }
    public var delayBasedBitrate: Int { aimd.bitrate }
    public var lossBasedBitrate: Int { lossBound.bitrate }
    /// Nanoseconds; set it from RTCP receiver reports when known (default 100 ms).
    public var roundTripTime: UInt64 {
        get { aimd.roundTripTime }
        set { aimd.roundTripTime = newValue }
    }

    /// Records a packet as it leaves: every packet carrying the transport-wide sequence number
    /// extension, media, retransmission or padding, with its size on the wire in bytes, and the
    /// probe cluster it was sent for, if any. Returns true when it is the first since the last
    /// feedback: `nextTimeout` then includes the wait for the next.
    @discardableResult
    public mutating func packetSent(transportSequenceNumber: UInt16, size: Int, probeCluster: Int? = nil, at now: UInt64) -> Bool {
        history.packetSent(sequenceNumber: transportSequenceNumber, size: size, probeCluster: probeCluster, at: now)
        if let probeCluster { probeResults.packetSent(cluster: probeCluster, at: now) }
        guard sentSinceFeedback == nil else { return false }
        sentSinceFeedback = now
        return true
    }

    /// Takes one transport-wide feedback from the subscriber.
    public mutating func handle(_ feedback: RtcpTransportFeedback, at now: UInt64) {
        let results = history.process(feedback)
        guard !results.isEmpty else { return }
        sentSinceFeedback = nil
        lastTimeoutCut = nil
        estimateBeforeSilence = nil
        acknowledged.update(results)
        lossBound.update(results, estimate: estimate, acknowledged: acknowledged.bitrate, at: now)
        trendline.update(results)
        aimd.update(trendline.state, acknowledgedBitrate: acknowledged.bitrate, at: now)
        for result in probeResults.update(results) {
            // A valid probe result is a measured rate the path carried: take it at once rather
            // than climbing to it (the point of probing).
            if result.bitrate > aimd.bitrate { aimd.setBitrate(result.bitrate, at: now) }
            lossBound.probeSucceeded(measured: result.bitrate)
            updateEstimate()
            probes.probeResult(result, estimate: estimate, at: now)
        }
        updateEstimate()
        probes.update(estimate: estimate, delayState: trendline.state, at: now)
    }

    /// When `handleTimeout` should next be called; nil when nothing is scheduled.
    public var nextTimeout: UInt64? {
        let feedbackDeadline = sentSinceFeedback.map { (lastTimeoutCut ?? $0) + configuration.feedbackTimeout }
        switch (probes.nextTimeout, feedbackDeadline) {
        case (let a?, let b?): return min(a, b)
        case (let a, let b): return a ?? b
        }
    }

    /// Runs what is due at `now`: periodic and post-drop probes (drain `pollProbe` after), and
    /// the cut when feedback has stopped.
    public mutating func handleTimeout(at now: UInt64) {
        if let sent = sentSinceFeedback, now >= (lastTimeoutCut ?? sent) + configuration.feedbackTimeout {
            if estimateBeforeSilence == nil { estimateBeforeSilence = estimate }
            aimd.setBitrate(Int(configuration.feedbackTimeoutFactor * Double(aimd.bitrate)), at: now)
            lastTimeoutCut = now
            updateEstimate()
        }
        probes.update(estimate: estimate, delayState: trendline.state, at: now)
    }

    /// The path to the receiver changed (its address moved: an ICE restart, a network change).
    /// What was sent on the old path and lost in the move says nothing of the new one, and
    /// neither do the cuts made while feedback was silent: the estimator starts over, at the
    /// estimate from before the silence, and probes up from there as at a start. A new path
    /// that carries less brings it down as any congestion does.
    public mutating func pathChanged() {
        var configuration = configuration
        configuration.initialBitrate = estimateBeforeSilence ?? estimate
        let roundTripTime = roundTripTime
        self = BandwidthEstimator(configuration: configuration)
        self.roundTripTime = roundTripTime
    }

    /// What the sender would send if the estimate allowed; above the estimate, it is probed
    /// toward (drain `pollProbe` after).
    public mutating func desire(_ bitrate: Int, at now: UInt64) {
        probes.desire(bitrate, estimate: estimate, delayState: trendline.state, at: now)
    }

    /// The next probe cluster to send; call until nil after each event. The first call asks
    /// for the start-up probes.
    public mutating func pollProbe(at now: UInt64) -> ProbeRequest? {
        probes.poll(estimate: estimate, delayState: trendline.state, at: now)
    }

    private mutating func updateEstimate() {
        estimate = min(max(min(aimd.bitrate, lossBound.bitrate), configuration.minimumBitrate), configuration.maximumBitrate)
    }
}
