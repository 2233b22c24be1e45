import Metrics
import Prometheus
import Relay

// Prometheus has types of these names too; the instruments here are swift-metrics'.
private typealias Gauge = Metrics.Gauge
private typealias Counter = Metrics.Counter
private typealias Recorder = Metrics.Recorder
private typealias Timer = Metrics.Timer

/// The server's metrics as swift-metrics instruments over a Prometheus registry of its own: each
/// application has one (a process-wide bootstrap can happen only once, and tests run many
/// applications side by side).
///
/// What is counted elsewhere is copied in: the rooms and sockets when `/metrics` is read, the
/// media workers' counters too (a worker counts without a lock per packet, so it cannot update
/// an instrument as it goes), and every `sampleInterval` each subscriber's estimate and round
/// trip go into histograms: subscriber-seconds at each rate and each delay.
actor RelayMetrics {
    nonisolated let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    private let rooms: Gauge
    private let participants: Gauge
    private let signalingConnections: Gauge
    private let pendingBytesPeak: Gauge
    private var backlogCloses: CumulativeCounter
    private let workers: Gauge
    private let transports: Gauge
    private let tracks: Gauge
    private let mirroredTracks: Gauge
    private let links: Gauge
    private let linkedTracks: Gauge
    private var linkPacketsSent: CumulativeCounter
    private var linkPacketsReceived: CumulativeCounter
    private var linkBytesSent: CumulativeCounter
    private var linkBytesReceived: CumulativeCounter
    private var linkRetransmissions: CumulativeCounter
    private var linkRequestedRetransmissions: CumulativeCounter
    private var linkKeyframeRequestsSent: CumulativeCounter
    private var linkKeyframeRequestsReceived: CumulativeCounter
    private let subscriptions: Gauge
    private var forwarded: CumulativeCounter
    private var retransmitted: CumulativeCounter
    private var requestedRetransmissions: CumulativeCounter
    private var repaired: CumulativeCounter
    private var probes: CumulativeCounter
    private var paced: CumulativeCounter
    private var layerSwitches: CumulativeCounter
    private var iceRestarts: CumulativeCounter
    private var pathMoves: CumulativeCounter
    private var videoPauses: CumulativeCounter
    private var drops: [DropReason: CumulativeCounter]
    private let estimateHistogram: Recorder
    /// Made at the first reading of a clustered server, so one alone shows no cluster gauge.
    private var clusterNodes: Gauge?
    private let roundTripHistogram: Timer
    /// Each subscriber's gauges, by transport, while it has an estimate.
    private var subscribers: [TransportID: SubscriberGauges] = [:]

    private struct SubscriberGauges {
        let participant: String
        let bitrate: Gauge
        let loss: Gauge
        let roundTrip: Gauge
    }

    static let estimateHistogramName = "relay_subscriber_estimate_bits_per_second"
    static let roundTripHistogramName = "relay_subscriber_round_trip_time_seconds"

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets[Self.estimateHistogramName] = [
            100_000, 200_000, 400_000, 700_000, 1_000_000, 1_500_000, 2_500_000, 4_000_000, 8_000_000,
        ]
        factory.durationHistogramBuckets[Self.roundTripHistogramName] = [10, 25, 50, 100, 200, 400, 800, 1_600].map {
            Duration.milliseconds($0)
        }
        self.factory = factory
        func gauge(_ label: String) -> Gauge { Gauge(label: label, factory: factory) }
        func counter(_ label: String, _ dimensions: [(String, String)] = []) -> CumulativeCounter {
            CumulativeCounter(Counter(label: label, dimensions: dimensions, factory: factory))
        }
        rooms = gauge("relay_rooms")
        participants = gauge("relay_participants")
        signalingConnections = gauge("relay_signaling_connections")
        pendingBytesPeak = gauge("relay_websocket_pending_bytes_peak")
        backlogCloses = counter("relay_websocket_backlog_closes_total")
        workers = gauge("relay_media_workers")
        transports = gauge("relay_transports")
        tracks = gauge("relay_tracks")
        mirroredTracks = gauge("relay_mirrored_tracks")
        links = gauge("relay_links")
        linkedTracks = gauge("relay_linked_tracks")
        linkPacketsSent = counter("relay_link_packets_sent_total")
        linkPacketsReceived = counter("relay_link_packets_received_total")
        linkBytesSent = counter("relay_link_bytes_sent_total")
        linkBytesReceived = counter("relay_link_bytes_received_total")
        linkRetransmissions = counter("relay_link_retransmissions_total")
        linkRequestedRetransmissions = counter("relay_link_requested_retransmissions_total")
        linkKeyframeRequestsSent = counter("relay_link_keyframe_requests_sent_total")
        linkKeyframeRequestsReceived = counter("relay_link_keyframe_requests_received_total")
        subscriptions = gauge("relay_subscriptions")
        forwarded = counter("relay_forwarded_packets_total")
        retransmitted = counter("relay_retransmitted_packets_total")
        requestedRetransmissions = counter("relay_requested_retransmissions_total")
        repaired = counter("relay_repaired_packets_total")
        probes = counter("relay_probe_packets_total")
        paced = counter("relay_paced_packets_total")
        layerSwitches = counter("relay_layer_switches_total")
        iceRestarts = counter("relay_ice_restarts_total")
        pathMoves = counter("relay_path_moves_total")
        videoPauses = counter("relay_video_pauses_total")
        drops = Dictionary(uniqueKeysWithValues: DropReason.allCases.map {
            ($0, counter("relay_dropped_datagrams_total", [("reason", $0.label)]))
        })
        estimateHistogram = Recorder(label: Self.estimateHistogramName, aggregate: true, factory: factory)
        roundTripHistogram = Timer(label: Self.roundTripHistogramName, factory: factory)
    }

    /// Signaling's figures, read when `/metrics` is.
    func update(rooms: Int, participants: Int, signalingConnections: Int, backlog: WebSocketBacklogStatistics) {
        self.rooms.record(rooms)
        self.participants.record(participants)
        self.signalingConnections.record(signalingConnections)
        pendingBytesPeak.record(backlog.peakPendingBytes)
        backlogCloses.update(total: Int64(backlog.closedSockets))
    }

    /// The live nodes of the cluster this server is a node of.
    func update(clusterNodes count: Int) {
        let gauge = clusterNodes ?? Gauge(label: "relay_cluster_nodes", factory: factory)
        clusterNodes = gauge
        gauge.record(count)
    }

    /// The media plane's figures; `participants` names each subscriber for its gauges.
    func update(media statistics: MediaStatistics, workers: Int, participants: [TransportID: String]) {
        self.workers.record(workers)
        transports.record(statistics.transports)
        tracks.record(statistics.tracks)
        mirroredTracks.record(statistics.mirroredTracks)
        links.record(statistics.links)
        linkedTracks.record(statistics.linkedTracks)
        let traffic = statistics.linkTraffic
        linkPacketsSent.update(total: Int64(clamping: traffic.packetsSent))
        linkPacketsReceived.update(total: Int64(clamping: traffic.packetsReceived))
        linkBytesSent.update(total: Int64(clamping: traffic.bytesSent))
        linkBytesReceived.update(total: Int64(clamping: traffic.bytesReceived))
        linkRetransmissions.update(total: Int64(clamping: traffic.retransmissions))
        linkRequestedRetransmissions.update(total: Int64(clamping: traffic.requestedRetransmissions))
        linkKeyframeRequestsSent.update(total: Int64(clamping: traffic.keyframeRequestsSent))
        linkKeyframeRequestsReceived.update(total: Int64(clamping: traffic.keyframeRequestsReceived))
        subscriptions.record(statistics.subscriptions)
        forwarded.update(total: Int64(clamping: statistics.forwardedPackets))
        retransmitted.update(total: Int64(clamping: statistics.retransmittedPackets))
        requestedRetransmissions.update(total: Int64(clamping: statistics.requestedRetransmissions))
        repaired.update(total: Int64(clamping: statistics.repairedPackets))
        probes.update(total: Int64(clamping: statistics.probePackets))
        paced.update(total: Int64(clamping: statistics.pacedPackets))
        layerSwitches.update(total: Int64(clamping: statistics.layerSwitches))
        iceRestarts.update(total: Int64(clamping: statistics.iceRestarts))
        pathMoves.update(total: Int64(clamping: statistics.pathMoves))
        videoPauses.update(total: Int64(clamping: statistics.videoPauses))
        for reason in DropReason.allCases {
            drops[reason]?.update(total: Int64(clamping: statistics.drops[reason]))
        }
        var current: Set<TransportID> = []
        for estimate in statistics.subscribers {
            current.insert(estimate.transport)
            let gauges = subscriberGauges(estimate.transport, participant: participants[estimate.transport] ?? "")
            gauges.bitrate.record(estimate.bitrate)
            gauges.loss.record(estimate.lossFraction)
            if let roundTrip = estimate.roundTripTime { gauges.roundTrip.record(Double(roundTrip) / 1e9) }
        }
        // A subscriber that left takes its series with it.
        for (transport, gauges) in subscribers where !current.contains(transport) {
            for gauge in [gauges.bitrate, gauges.loss, gauges.roundTrip] { gauge.destroy() }
            subscribers[transport] = nil
        }
    }

    /// One sample of every subscriber's estimate and round trip, for the histograms.
    func sample(_ estimates: [SubscriberEstimate]) {
        for estimate in estimates {
            estimateHistogram.record(estimate.bitrate)
            if let roundTrip = estimate.roundTripTime { roundTripHistogram.recordNanoseconds(Int64(clamping: roundTrip)) }
        }
    }

    private func subscriberGauges(_ transport: TransportID, participant: String) -> SubscriberGauges {
        if let existing = subscribers[transport], existing.participant == participant { return existing }
        if let stale = subscribers[transport] {
            for gauge in [stale.bitrate, stale.loss, stale.roundTrip] { gauge.destroy() }
        }
        let dimensions = [("transport", "\(transport.value)"), ("participant", participant)]
        let gauges = SubscriberGauges(
            participant: participant,
            bitrate: Gauge(label: "relay_subscriber_estimated_bitrate_bps", dimensions: dimensions, factory: factory),
            loss: Gauge(label: "relay_subscriber_loss_ratio", dimensions: dimensions, factory: factory),
            roundTrip: Gauge(label: "relay_subscriber_round_trip_seconds", dimensions: dimensions, factory: factory))
        subscribers[transport] = gauges
        return gauges
    }
}
