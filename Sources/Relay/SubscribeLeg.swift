import Congestion
import RTP

/// What the relay keeps of a transport a client receives on: its subscriptions by outgoing SSRC,
/// the transport-wide sequence numbers stamped on everything sent to it, and the estimate of
/// the bandwidth toward it that the client's transport-wide feedback drives.
///
/// The state every packet sent updates is `@exclusivity(unchecked)`: a leg is used by its
/// worker's thread alone, never from within its own methods' callbacks, and the checks were
/// 2.5% of the relay's CPU at max rate (a fan-out of 50).
final class SubscribeLeg {
    /// IPv4 and UDP headers: what a datagram costs on the path beyond its payload.
    static let datagramOverhead = 28

    private(set) var subscriptionsBySsrc: [UInt32: Subscription] = [:]
    /// Whether video waits for the pacing budget; if not, it goes as it comes.
    let pacesVideo: Bool
    /// The transport-wide sequence number of the next packet sent on this transport.
    @exclusivity(unchecked) private(set) var nextTransportSequenceNumber = UInt16.random(in: 0...UInt16.max)
    /// The relay may forward far more than a browser sends: a subscriber of many streams on a
    /// fast network. Probes never look further than what its tracks cost.
    @exclusivity(unchecked) private(set) var estimator = BandwidthEstimator(configuration: .init(maximumBitrate: 1_000_000_000))
    /// Whether the client has sent transport-wide feedback: until it does, the estimate is only
    /// the starting guess, and nothing is probed or held back on its account.
    @exclusivity(unchecked) private(set) var hasFeedback = false
    /// Bits per second a probe may look beyond what the subscriber could use (`probeCeiling`).
    static let probeHeadroom = 500_000
    /// The ceiling's multiple of what the subscriber could use: room for a keyframe or a
    /// publisher's rise without waiting for the next probe.
    static let probeMargin = 1.25

    /// The probe cluster being sent, if any.
    var probe: ProbeSchedule?
    /// Video that would leave faster than the pacing rate waits here.
    let pacedQueue = PacedQueue()
    @exclusivity(unchecked) private var pacing = PacingBudget(rate: 1_000_000)
    /// The pacing rate's multiple of the estimate, as a browser paces what it sends: bursts
    /// (a keyframe) leave at most this much faster than the path is thought to carry.
    static let pacingFactor = 2.5
    /// Nanoseconds: the pacing rate never drops below what empties the queue before its oldest
    /// packet has waited this long, whatever the estimate says (layer choice, not the queue, is
    /// what brings a subscriber's video within its estimate).
    static let maximumPacingDelay: UInt64 = 500_000_000
    /// What the relay sends this transport, media and repairs (not probes), on its own clock.
    @exclusivity(unchecked) private var sendRate = RateWindow(window: 1_000_000_000, resolution: 5_000_000)
    /// How often the layers the subscriber gets are chosen again.
    static let layerCheckInterval: UInt64 = 250_000_000
    /// When the layers are due to be chosen again. While transport-wide feedback flows, the
    /// check waits for the first feedback from then on (every 50–100 ms from a browser), which
    /// wakes the worker anyway and brings the estimate the check weighs; a timer of its own per
    /// subscriber woke the worker four times a second each (200 wakes a second for a room of 50).
    var nextLayerCheck: UInt64?

    /// When the worker must wake for the layer check: at `nextLayerCheck` without feedback, and
    /// an interval later with it, should the feedback stop.
    var layerCheckDeadline: UInt64? {
        hasFeedback ? nextLayerCheck.map { $0 + Self.layerCheckInterval } : nextLayerCheck
    }
    /// Congestion seen at the layer checks, for the cut of temporal layers.
    var congestion = CongestionSpell()
    /// Bits per second the subscriber's tracks would cost at the layers its tiles want, as of
    /// the last check.
    var demand = 0
    /// Bits per second the publishers send of the layers the subscriber gets, as of the last
    /// check: what pacing never holds it below.
    private(set) var forwarding = 0

    /// The publishers now send `bitrate` of the layers the subscriber gets.
    func setForwarding(_ bitrate: Int, now: UInt64) {
        forwarding = bitrate
        updatePacingRate(now: now)
    }
    /// Retransmissions this subscriber may ask for, in packets and in bytes: whatever its NACKs
    /// hold, repairing costs the relay a bounded amount of work and bandwidth.
    private var retransmissionPackets = TokenBucket(refillPerSecond: 200, capacity: 100)
    private var retransmissionBytes = TokenBucket(refillPerSecond: 250_000, capacity: 125_000)

    var subscriptions: Dictionary<UInt32, Subscription>.Values { subscriptionsBySsrc.values }

    init(pacesVideo: Bool = true) {
        self.pacesVideo = pacesVideo
    }

    func add(_ subscription: Subscription, now: UInt64) {
        subscriptionsBySsrc[subscription.ssrc] = subscription
        if nextLayerCheck == nil { nextLayerCheck = now + Self.layerCheckInterval }
    }

    func remove(ssrc: UInt32) {
        subscriptionsBySsrc[ssrc] = nil
    }

    func removeAll() {
        subscriptionsBySsrc.removeAll()
        pacedQueue.removeAll()
    }

    /// The subscription whose media stream is `ssrc`.
    func subscription(ssrc: UInt32) -> Subscription? {
        subscriptionsBySsrc[ssrc]
    }

    /// How many copies of each retransmission the subscriber gets now. One while what it was
    /// sent over the last second is a quarter above its estimate, and then only within half
    /// the estimate (`congestedRepairs`, `allowRetransmission`): a path that loses packets because it is full
    /// loses more for every retransmission added, and each loss asks for another (measured:
    /// under a 400 kbit/s cap, 350 kbit/s of retransmissions on top of the media, 40% of it all
    /// lost), but one packet never repaired freezes the picture until the browser asks for a
    /// keyframe (3.3 s, measured), and right after a loss cut the media alone is above the
    /// estimate. Two while its feedback shows 2% to 10% loss and its sending takes less than
    /// half its estimate (random loss on a path with room): a browser asks again for a
    /// retransmission lost as well only after a timeout, while the frame waits, and a second
    /// copy makes losing both as rare as the square of the loss (the loss scenario, 5% random
    /// loss: 0.25–1.04 s of freezes in 20 s over five runs with one copy, mean 0.73; 0–1.07 s
    /// over nine with two, mean 0.45). One otherwise.
    func retransmissionCopies(now: UInt64) -> Int {
        guard hasFeedback else { return 1 }
        let sending = sendRate.bitrate(at: Int64(truncatingIfNeeded: now)) ?? 0
        return (0.02...0.1).contains(estimator.lossFraction) && 2 * sending < estimator.estimate ? 2 : 1
    }

    /// Whether what the subscriber was sent over the last second is a quarter above its estimate.
    private func isAboveEstimate(now: UInt64) -> Bool {
        guard hasFeedback else { return false }
        let sending = sendRate.bitrate(at: Int64(truncatingIfNeeded: now)) ?? 0
        return 4 * sending >= 5 * estimator.estimate
    }

    /// The share of the estimate repairs may take while the subscriber is sent more than it
    /// (libwebrtc lets them take the whole estimate; here the media already does). With a tenth,
    /// a capped subscriber whose cap dropped 22 packets at once (after a step up its path could
    /// not carry) had 19 repairs refused while they trickled out.
    static let congestedRepairShare = 0.5
    /// Nanoseconds of that share that may go at once: a NACK of many packets does not pour
    /// them all into a queue that is already full; the rest go as the browser asks again.
    static let congestedRepairBurst: UInt64 = 250_000_000
    /// Repairs while above the estimate, in nanoseconds of `congestedRepairShare` of it: a
    /// packet of `size` bytes costs the time that share takes to carry it, so the budget
    /// follows the estimate without a rate to update.
    private var congestedRepairs = TokenBucket(refillPerSecond: 1_000_000_000, capacity: Double(congestedRepairBurst))

    /// Takes a retransmission of `size` bytes from the budget; false when it is spent.
    func allowRetransmission(size: Int, now: UInt64) -> Bool {
        if isAboveEstimate(now: now) {
            let share = max(Self.congestedRepairShare * Double(estimator.estimate), 1)
            guard congestedRepairs.take(Double(size * 8) * 1_000_000_000 / share, at: now) else { return false }
        }
        guard retransmissionPackets.take(at: now) else { return false }
        return retransmissionBytes.take(Double(size), at: now)
    }

    /// Nanoseconds a packet waits before it is resent again: the last round trip measured, or
    /// 100 ms before any.
    var resendInterval: UInt64 { roundTripTime ?? 100_000_000 }

    /// Whether a video packet may go at `now` rather than wait in `pacedQueue`: not before the
    /// client's feedback gives an estimate, and never ahead of video already waiting.
    func videoMayGo(now: UInt64) -> Bool {
        guard pacesVideo, hasFeedback else { return true }
        return pacedQueue.isEmpty && pacing.canSend(at: now)
    }

    /// Whether the front of `pacedQueue` may go at `now`. While video waits, the rate is
    /// raised as far as it takes for none of it to wait longer than `maximumPacingDelay`.
    func pacedVideoMayGo(now: UInt64) -> Bool {
        guard let oldest = pacedQueue.oldestReceived else {
            pacing.setRate(pacingRate, at: now)
            return false
        }
        guard hasFeedback else { return true }
        let waited = now > oldest ? now - oldest : 0
        let left = max(Self.maximumPacingDelay > waited ? Self.maximumPacingDelay - waited : 0, 10_000_000)
        pacing.setRate(max(pacingRate, Int(UInt64(pacedQueue.bytes) * 8_000_000_000 / left)), at: now)
        return pacing.canSend(at: now)
    }

    /// Bits per second: `pacingFactor` times the estimate or what the subscriber's streams
    /// bring in (`forwarding`), whichever is more. Pacing spreads bursts out; it does not hold
    /// the relay below what it forwards on average (an estimate still climbing would only delay
    /// every frame). Kept up to date as those change, not worked out per packet.
    private var pacingRate = 0

    private func updatePacingRate(now: UInt64) {
        pacingRate = Int(Double(max(estimator.estimate, forwarding)) * Self.pacingFactor)
        if pacedQueue.isEmpty { pacing.setRate(pacingRate, at: now) }
    }

    /// A packet carrying `nextTransportSequenceNumber` was queued for sending: `size` bytes
    /// protected, at `now`, as part of probe cluster `probeCluster` if any. Everything but
    /// probe padding spends the pacing budget: audio and repairs go at once and delay video.
    /// Returns the estimator's deadline when this packet set it (the first since feedback
    /// starts the wait for the next), else nil.
    @discardableResult
    func packetSent(size: Int, now: UInt64, probeCluster: Int? = nil) -> UInt64? {
        var awaitsFeedback = false
        if hasFeedback {
            if probeCluster == nil {
                pacing.spend(size + Self.datagramOverhead, at: now)
                sendRate.add(size: size, at: Int64(truncatingIfNeeded: now))
            }
            awaitsFeedback = estimator.packetSent(
                transportSequenceNumber: nextTransportSequenceNumber, size: size + Self.datagramOverhead,
                probeCluster: probeCluster ?? probe?.request.clusterId, at: now)
        }
        nextTransportSequenceNumber &+= 1
        return awaitsFeedback ? estimator.nextTimeout : nil
    }

    /// The client's transport-wide feedback about what the relay sent it.
    func handle(_ feedback: RtcpTransportFeedback, now: UInt64) {
        guard hasFeedback else {
            // Packets sent before were not recorded: estimation starts with the next ones.
            hasFeedback = true
            updatePacingRate(now: now)
            return
        }
        estimator.handle(feedback, at: now)
        updatePacingRate(now: now)
        startProbeIfAsked(now: now)
    }

    var nextTimeout: UInt64? {
        var earliest = subscriptionsBySsrc.isEmpty ? nil : layerCheckDeadline
        guard hasFeedback else { return earliest }
        // Asked on each pass over the timers, for every transport: no array of candidates.
        if let deadline = estimator.nextTimeout, deadline < earliest ?? .max { earliest = deadline }
        if let deadline = probe?.nextSend, deadline < earliest ?? .max { earliest = deadline }
        if let deadline = pacingDeadline, deadline < earliest ?? .max { earliest = deadline }
        return earliest
    }

    /// When the video waiting in `pacedQueue` may go on; nil when none waits.
    var pacingDeadline: UInt64? {
        pacedQueue.isEmpty ? nil : pacing.nextSendTime
    }

    /// The subscriber's tracks would cost `bitrate` at the layers its tiles want: what probes
    /// look toward.
    func want(_ bitrate: Int, now: UInt64) {
        demand = bitrate
        guard hasFeedback else { return }
        estimator.desire(max(bitrate, repairRoom(now: now)), at: now)
        startProbeIfAsked(now: now)
    }

    /// On a path that loses packets at random (2–10% in its feedback), the estimate each repair
    /// needs to go twice (`retransmissionCopies`): over twice what the subscriber is sent, by
    /// `probeMargin`. Otherwise nothing lifts it there once the start-up search, made before
    /// any loss was seen, has stopped at the clean path's ceiling: the loss scenario froze
    /// twice as long with one copy (1.2–2.0 s in 20 s).
    private func repairRoom(now: UInt64) -> Int {
        guard (0.02...0.1).contains(estimator.lossFraction) else { return 0 }
        let sending = sendRate.bitrate(at: Int64(truncatingIfNeeded: now)) ?? 0
        return Int(2 * Self.probeMargin * Double(sending))
    }

    /// Nanoseconds, from the subscriber's last receiver report; nil until one echoed a sender
    /// report.
    private(set) var roundTripTime: UInt64?

    /// A round trip measured from a receiver report, for the metrics and the page. The
    /// estimator keeps its assumed 100 ms: fed a loopback's 1–2 ms, its decreases may come every
    /// 10 ms instead of every 100, and a subscriber losing 5% at random froze more (up to 1.4 s in
    /// 20 s against 0.3 s); using it there needs its own tests.
    func roundTripMeasured(_ nanoseconds: UInt64) {
        roundTripTime = nanoseconds
    }

    /// The subscriber's path moved to a new address: the estimate starts over from what it was
    /// before the path went silent, and a probe cluster under way on the old path is dropped.
    func pathChanged(now: UInt64) {
        estimator.pathChanged()
        updatePacingRate(now: now)
        probe = nil
        startProbeIfAsked(now: now)
    }

    func handleEstimatorTimeout(now: UInt64) {
        guard hasFeedback, let deadline = estimator.nextTimeout, deadline <= now else { return }
        estimator.handleTimeout(at: now)
        updatePacingRate(now: now)
        startProbeIfAsked(now: now)
    }

    /// Starts the probe the estimator asks for, no higher than `probeCeiling`, and none once
    /// the estimate reaches it: padding costs the subscriber's link (on a thin one it competes
    /// with the media) and the relay a datagram each, for room nothing would use. Measured at
    /// max rate (1→50 on loopback): periodic probes at twice an estimate already three times
    /// what each subscriber was sent cost 12% of the relay's CPU per forwarded packet.
    private func startProbeIfAsked(now: UInt64) {
        guard probe == nil, var request = estimator.pollProbe(at: now) else { return }
        let sending = sendRate.bitrate(at: Int64(truncatingIfNeeded: now)) ?? 0
        let ceiling = probeCeiling(sending: sending)
        guard estimator.estimate < ceiling else { return }
        request.bitrate = min(request.bitrate, ceiling)
        probe = ProbeSchedule(request: request, mediaBitrate: sending, start: now)
    }

    /// The estimate beyond which probing finds nothing the subscriber could use: `probeMargin`
    /// times what it is sent or what its tiles want (`demand`), whichever is more, plus
    /// `probeHeadroom`. While its feedback shows random loss (2–10%), the margin is over twice
    /// that, to leave room for `repairRoom`.
    func probeCeiling(sending: Int) -> Int {
        let use = Double(max(sending, demand))
        let factor = (0.02...0.1).contains(estimator.lossFraction) ? 2 * Self.probeMargin : Self.probeMargin
        return Int(use * factor) + Self.probeHeadroom
    }
}
