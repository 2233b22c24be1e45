import DTLS
import RTP

/// The SFU of one worker, without I/O: routes each datagram to its transport, forwards RTP
/// from publishers to subscribers with rewritten headers, carries keyframe requests upstream,
/// and counts whatever it drops. The socket loop feeds it datagrams and time.
///
/// Its parts: this file holds the tables, the commands from signaling and the dispatch of
/// input; `MediaRouter+Forwarding` the RTP path, `MediaRouter+Feedback` RTCP from clients,
/// `MediaRouter+Reports` the relay's own reports.
public final class MediaRouter {
    /// Keyframe requests reach a publisher at most this often per track (nanoseconds).
    public static let keyframeRequestInterval: UInt64 = 500_000_000
    /// The largest datagram the relay accepts; anything bigger is no WebRTC packet.
    public static let maximumDatagramLength = 1500
    /// How often the relay sends its sender and receiver reports on every transport.
    public static let reportInterval: UInt64 = 1_000_000_000
    /// The largest RTCP compound the relay writes, leaving room for SRTCP's trailer.
    static let maximumReportSize = 1_100
    /// Bounds the work one NACK can ask for.
    static let maximumRetransmissionsPerNack = 64
    /// A transport that has not connected this long after its creation is closed: its ICE and
    /// DTLS state is not kept for a client that never comes.
    public static let connectTimeout: UInt64 = 30_000_000_000
    /// How often the audio tracks' activity is reported (`RouterEvent.audioActivity`).
    public static let activityInterval: UInt64 = 250_000_000

    public internal(set) var drops = DropCounters()
    /// Packets queued for sending to subscribers, retransmissions not included.
    public internal(set) var forwardedPackets: UInt64 = 0
    public internal(set) var retransmittedPackets: UInt64 = 0
    /// Packets the relay asked publishers to resend.
    public internal(set) var requestedRetransmissions: UInt64 = 0
    /// Packets a publisher resent on its RTX stream that filled a gap.
    public internal(set) var repairedPackets: UInt64 = 0
    /// Times a subscriber's video was held back because its path could not carry it.
    public internal(set) var videoPauses: UInt64 = 0
    /// Times a subscription moved from one layer of a track to another.
    public internal(set) var layerSwitches: UInt64 = 0
    /// ICE restarts signaling asked for (a client changed networks).
    public internal(set) var iceRestarts: UInt64 = 0
    /// Connected transports whose path moved to another address of the peer's.
    public internal(set) var pathMoves: UInt64 = 0
    /// Padding packets sent to probe subscribers' paths.
    public internal(set) var probePackets: UInt64 = 0
    /// Video packets that waited for a subscriber's pacing budget.
    public internal(set) var pacedPackets: UInt64 = 0
    /// How long each of them waited, from when the router got it to when the budget let it go.
    public internal(set) var pacingWaits = ForwardingDelayHistogram()

    let dtlsContext: DtlsContext
    let onEvent: @Sendable (RouterEvent) -> Void
    let relaySsrc = UInt32.random(in: 1...UInt32.max)
    let wallClock = WallClock.anchoredNow()
    var nextReportTime: UInt64?
    var nextActivityTime: UInt64?
    var transports: [TransportID: RoutedTransport] = [:]
    /// Every address ICE validated, to the transport it belongs to: a datagram is routed by its
    /// source address.
    var transportsByAddress: [TransportAddress: RoutedTransport] = [:]
    var transportsByUfrag: [String: RoutedTransport] = [:]
    var tracks: [TrackID: PublishedTrack] = [:]
    /// Relay links to other nodes' workers, and by the other end's address: a datagram from one
    /// is the link's (`MediaRouter+Links`).
    var links: [NodeLinkID: NodeLink] = [:]
    var linksByAddress: [TransportAddress: NodeLink] = [:]
    /// What crossed the links closed so far: the counters keep counting after a link goes.
    var closedLinkTraffic = NodeLinkTraffic()
    /// The pipes this worker's tracks are mirrored through, and those it reads mirrored tracks
    /// from (`WorkerPipe`); the socket loop signals the first and drains the second.
    public internal(set) var outboundPipes: [WorkerPipe] = []
    public internal(set) var inboundPipes: [WorkerPipe] = []
    /// Commands for other workers (a keyframe asked of a mirrored track's publisher), by the
    /// worker they are for; the socket loop takes and delivers them.
    var upstream: [(worker: Int, command: MediaCommand)] = []

    /// Whether video to subscribers is paced (`SubscribeLeg.videoMayGo`).
    let pacesVideo: Bool

    /// The earliest deadline the input handled since the socket loop last asked
    /// (`takeInputDeadline`) may have set: the deadlines of the transport a datagram came from,
    /// and of each subscriber a packet went to, its pacing and its estimator's. The loop runs the
    /// timers then, rather than pass over every transport after each input to find out: in a
    /// room of 50 that pass found nothing due six times out of seven and took 8% of the
    /// worker's time.
    var inputDeadline: UInt64?

    public init(dtlsContext: DtlsContext, pacesVideo: Bool = true, onEvent: @escaping @Sendable (RouterEvent) -> Void) {
        self.dtlsContext = dtlsContext
        self.pacesVideo = pacesVideo
        self.onEvent = onEvent
    }

    public var transportCount: Int { transports.count }
    /// Tracks published on this worker; mirrors of other workers' tracks are `mirroredTrackCount`.
    public var trackCount: Int { tracks.values.count { $0.isFromPublisher } }
    public var mirroredTrackCount: Int { tracks.values.count { if case .worker = $0.source { true } else { false } } }
    /// Tracks that arrive over a relay link from another node.
    public var linkedTrackCount: Int { tracks.values.count { if case .link = $0.source { true } else { false } } }
    public var subscriptionCount: Int { transports.values.reduce(0) { $0 + $1.subscribing.subscriptions.count } }

    public var statistics: MediaStatistics {
        var statistics = MediaStatistics()
        statistics.forwardedPackets = forwardedPackets
        statistics.retransmittedPackets = retransmittedPackets
        statistics.probePackets = probePackets
        statistics.pacedPackets = pacedPackets
        statistics.pacingWait = pacingWaits
        statistics.videoPauses = videoPauses
        statistics.layerSwitches = layerSwitches
        statistics.iceRestarts = iceRestarts
        statistics.pathMoves = pathMoves
        statistics.repairedPackets = repairedPackets
        statistics.requestedRetransmissions = requestedRetransmissions
        statistics.subscribers = transports.values.compactMap(\.subscriberEstimate).sorted { $0.transport.value < $1.transport.value }
        statistics.connectedTransports = Set(transports.values.filter(\.peer.isConnected).map(\.id))
        statistics.drops = drops
        statistics.transports = transportCount
        statistics.tracks = trackCount
        statistics.mirroredTracks = mirroredTrackCount
        statistics.links = links.count
        statistics.linkedTracks = linkedTrackCount
        statistics.linkTraffic = linkTraffic
        statistics.subscriptions = subscriptionCount
        return statistics
    }

    public func countDropped(_ reason: DropReason, times: Int = 1) {
        drops.count(reason, times: times)
    }

    /// The commands for other workers queued since the last call.
    public func takeUpstream() -> [(worker: Int, command: MediaCommand)] {
        defer { upstream.removeAll() }
        return upstream
    }

    // MARK: Input

    public var nextTimeout: UInt64? {
        var earliest = routerDeadline
        for transport in transports.values {
            if let deadline = deadline(of: transport), deadline < earliest ?? .max { earliest = deadline }
        }
        return earliest
    }

    /// When the router needs to run because of what it was given since the last call or the
    /// last `handleTimeout`, if it may be sooner than they said; nil when no deadline moved. Ask
    /// after input (datagrams, `handleMirrored`); after commands, `nextTimeout`.
    public func takeInputDeadline() -> UInt64? {
        defer { inputDeadline = nil }
        return inputDeadline
    }

    /// Lowers `inputDeadline` to `deadline`.
    func noteDeadline(_ deadline: UInt64?) {
        if let deadline, deadline < inputDeadline ?? .max { inputDeadline = deadline }
    }

    /// Runs what is due at `now`. Returns when the router next needs to run, as `nextTimeout`
    /// would, from the same pass over the transports (a second pass cost as much again).
    @discardableResult
    public func handleTimeout(now: UInt64, sink: some DatagramSink) -> UInt64? {
        // The pass finds every deadline input set, and what it sets itself it returns.
        inputDeadline = nil
        if let due = nextReportTime, due <= now, !transports.isEmpty {
            sendReports(now: now, sink: sink)
        }
        if nextReportTime.map({ $0 <= now }) ?? true {
            nextReportTime = now + Self.reportInterval
        }
        if nextActivityTime.map({ $0 <= now }) ?? true {
            if nextActivityTime != nil { reportAudioActivity() }
            nextActivityTime = now + Self.activityInterval
        }
        if let due = linkDeadline, due <= now { handleLinkTimeouts(now: now, sink: sink) }
        var earliest = routerDeadline
        var drained = false
        for transport in transports.values {
            // Most turns find nothing due on most transports: their deadline is worked out once.
            var deadline = deadline(of: transport)
            if let due = deadline, due <= now {
                drained = handleTimeout(of: transport, now: now, sink: sink) || drained
                deadline = self.deadline(of: transport)
            }
            if let deadline, deadline < earliest ?? .max { earliest = deadline }
        }
        // A transport that connected, moved or closed can change the others' deadlines
        // (subscriptions that start, keyframes asked for), including those already passed.
        let result = drained ? nextTimeout : earliest
        guard let noted = takeInputDeadline() else { return result }
        return min(noted, result ?? .max)
    }

    /// The router's own deadlines: reports, the audio activity and the links' NACKs.
    private var routerDeadline: UInt64? {
        var earliest: UInt64? = transports.isEmpty ? nil : nextReportTime
        if !tracks.isEmpty, let due = nextActivityTime, due < earliest ?? .max { earliest = due }
        if !links.isEmpty, let due = linkDeadline, due < earliest ?? .max { earliest = due }
        return earliest
    }

    /// The earliest time `transport` needs the router.
    func deadline(of transport: RoutedTransport) -> UInt64? {
        var earliest = transport.peer.nextTimeout
        if !transport.peer.isConnected {
            // A transport without a deadline yet gets one at the next timeout, at once.
            let deadline = transport.connectDeadline ?? 0
            if deadline < earliest ?? .max { earliest = deadline }
        }
        if let deadline = estimationTimeout(of: transport), deadline < earliest ?? .max { earliest = deadline }
        if let deadline = publisherFeedbackTimeout(of: transport), deadline < earliest ?? .max { earliest = deadline }
        return earliest
    }

    /// Runs what is due for one transport; true when it had events to drain.
    private func handleTimeout(of transport: RoutedTransport, now: UInt64, sink: some DatagramSink) -> Bool {
        var drained = false
        if let deadline = transport.peer.nextTimeout, deadline <= now {
            transport.peer.handleTimeout(now: now, sink: sink)
            drained = drainEvents(of: transport, now: now, sink: sink)
        }
        if !transport.peer.isConnected, !transport.peer.isClosed {
            guard let deadline = transport.connectDeadline else {
                transport.connectDeadline = now + Self.connectTimeout
                return drained
            }
            if deadline <= now {
                transport.peer.expire()
                return drainEvents(of: transport, now: now, sink: sink) || drained
            }
        }
        if let deadline = estimationTimeout(of: transport), deadline <= now {
            handleEstimationTimeout(of: transport, now: now, sink: sink)
        }
        if let deadline = publisherFeedbackTimeout(of: transport), deadline <= now {
            sendPublisherFeedback(to: transport, now: now, sink: sink)
        }
        return drained
    }

    private func reportAudioActivity() {
        var activity: [AudioActivity] = []
        for track in tracks.values where track.description.kind == .audio && track.isFromPublisher {
            if let interval = track.levels.take(track: track.description.id) { activity.append(interval) }
        }
        if !activity.isEmpty { onEvent(.audioActivity(activity.sorted { $0.track.value < $1.track.value })) }
    }

    /// One received datagram. Its bytes may be modified in place (SRTP is decrypted there).
    /// `arrival` is when it reached the machine, if known (the kernel's timestamp): what the
    /// feedback to its sender reports, apart from when the worker got to it (`now`).
    public func handleDatagram(
        _ bytes: UnsafeMutableRawBufferPointer, from source: TransportAddress, now: UInt64, arrival: UInt64? = nil,
        sink: some DatagramSink
    ) {
        guard bytes.count <= Self.maximumDatagramLength else {
            drops.count(.oversizedDatagram)
            return
        }
        if !linksByAddress.isEmpty, let link = linksByAddress[source] {
            handleLinkDatagram(bytes, on: link, now: now, arrival: arrival ?? now, sink: sink)
            noteDeadline(link.nacks.nextTimeout)
            return
        }
        switch DatagramKind(classifying: UnsafeRawBufferPointer(bytes)) {
        case .stun: handleStun(bytes, from: source, now: now, sink: sink)
        case .dtls: handleDtls(bytes, from: source, now: now, sink: sink)
        case .rtp: handleRtp(bytes, from: source, now: now, arrival: arrival ?? now, sink: sink)
        case .rtcp: handleRtcp(bytes, from: source, now: now, sink: sink)
        case .unknown: drops.count(.unknownKind)
        }
    }

    private func handleStun(_ bytes: UnsafeMutableRawBufferPointer, from source: TransportAddress, now: UInt64, sink: some DatagramSink) {
        let raw = UnsafeRawBufferPointer(bytes)
        var transport = transportsByAddress[source]
        if transport == nil {
            // A new path: the request's USERNAME names our ufrag before the colon (RFC 8445 §7.2.2).
            guard let ufrag = StunMessage.localUfrag(inRequest: Array(raw)),
                let named = transportsByUfrag[String(ufrag)]
            else {
                drops.count(.unauthenticatedStun)
                return
            }
            transport = named
        }
        guard let transport else { return }
        // Refused STUN is counted here, not only in the agent's own stats: a flood of requests
        // naming a real ufrag with a wrong integrity would otherwise show nowhere in /metrics.
        if let refusal = transport.peer.handleStun(raw, from: source, now: now, sink: sink) {
            drops.count(refusal.dropReason)
        }
        drainEvents(of: transport, now: now, sink: sink)
        noteDeadline(deadline(of: transport))
    }

    private func handleDtls(_ bytes: UnsafeMutableRawBufferPointer, from source: TransportAddress, now: UInt64, sink: some DatagramSink) {
        guard let transport = transportsByAddress[source] else {
            drops.count(.dtlsBeforeIce)
            return
        }
        do {
            try transport.peer.handleDtls(UnsafeRawBufferPointer(bytes), from: source, now: now, sink: sink)
        } catch {
            drops.count(.dtlsFailure)
        }
        drainEvents(of: transport, now: now, sink: sink)
        noteDeadline(deadline(of: transport))
    }

    /// The connected transport a media datagram from `source` belongs to; counts a drop if none.
    func authenticatedTransport(from source: TransportAddress) -> RoutedTransport? {
        guard let transport = transportsByAddress[source] else {
            drops.count(.unknownSource)
            return nil
        }
        guard transport.peer.isConnected else {
            drops.count(.srtpBeforeDtls)
            return nil
        }
        return transport
    }

    func count(_ error: SrtpError) {
        switch error {
        case .authenticationFailed: drops.count(.srtpAuthenticationFailed)
        case .replayed: drops.count(.srtpReplayed)
        case .tooManySsrcs: drops.count(.unknownSsrc)
        default: drops.count(.malformedRtp)
        }
    }

    /// Handles what the transport reports; true when it reported anything.
    @discardableResult
    private func drainEvents(of transport: RoutedTransport, now: UInt64, sink: some DatagramSink) -> Bool {
        var any = false
        while let event = transport.peer.pollEvent() {
            any = true
            switch event {
            case .pathValidated(let address):
                transportsByAddress[address] = transport
            case .pathSelected(let address):
                transportsByAddress[address] = transport
                // A move once media flows (the peer changed networks): what its subscriber got
                // in the gap is lost and its estimate spoke of the old path.
                if transport.peer.isConnected {
                    pathMoves &+= 1
                    pathMoved(transport, now: now, sink: sink)
                }
            case .connected:
                onEvent(.transportConnected(transport.id))
                // Subscriptions made before the subscriber connected need a keyframe now.
                for subscription in Array(transport.subscribing.subscriptions) {
                    if let track = tracks[subscription.track], let layer = subscription.targetLayer {
                        track.layers[layer].lastKeyframeRequest = nil
                        requestKeyframe(track, layer: layer, now: now, sink: sink)
                    }
                }
            case .closed(let reason):
                forget(transport)
                onEvent(.transportClosed(transport.id, reason))
            }
        }
        return any
    }

    func forget(_ transport: RoutedTransport) {
        let id = transport.id
        transports[id] = nil
        transportsByUfrag = transportsByUfrag.filter { $0.value !== transport }
        transportsByAddress = transportsByAddress.filter { $0.value !== transport }
        for track in transport.publishing.tracks {
            removeTrack(track.description.id)
        }
        for subscription in transport.subscribing.subscriptions {
            tracks[subscription.track]?.subscriptions.removeAll { $0 === subscription }
        }
        transport.subscribing.removeAll()
    }
}
