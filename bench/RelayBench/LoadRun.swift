internal import CUDP
import DTLS
import Foundation
import Histogram
import Relay

/// Drives one scenario against a running relay: joins every participant, publishes, answers
/// the subscribe offers, then sends and receives on one thread for the measured window.
struct LoadRun {
    /// The SFU under load.
    enum Target: String {
        case relay
        case janus
    }

    var scenario: LoadScenario
    var target: Target
    var host: String
    var httpPort: UInt16
    /// The SFU's process, to read its CPU time and memory.
    var relay: RelayProcess
    /// Fail unless every publisher received transport-wide feedback and the subscribers sent
    /// some: set for an SFU that does congestion control.
    var expectsFeedback = false

    func run(log: (String) -> Void) throws -> LoadResult {
        let audio = try AudioClip()
        let videos = try Self.videoClips(for: scenario)
        let sources = scenario.verify ? SourceFrames(clips: videos) : nil
        let lowerClips = scenario.simulcast ? try Self.simulcastClips() : []
        let certificate = try DtlsCertificate.generate(commonName: "relay-bench")
        let contexts = (client: try DtlsContext(role: .client, certificate: certificate), server: try DtlsContext(role: .server, certificate: certificate))
        let pacing = BenchPublisher.Pacing(videoPacketsPerSecond: scenario.videoPacketsPerSecond)
        let participants: [any BenchClient]
        var janusSession: JanusSession?
        switch target {
        case .relay:
            participants = try joinRelay(
                audio: audio, videos: videos, sources: sources, lowerClips: lowerClips, pacing: pacing, context: contexts.client)
        case .janus:
            let session = try JanusSession(host: host, port: httpPort)
            participants = try joinJanus(session: session, audio: audio, videos: videos, sources: sources, pacing: pacing, contexts: contexts)
            janusSession = session
        }
        let publishers = participants.compactMap(\.publisher)
        let subscribers = participants.compactMap(\.subscriber)
        log("  \(publishers.count) publishers, \(subscribers.count) subscribe connections connected")

        var descriptors: [pollfd] = []
        var receivers: [BenchSubscriber?] = []
        var senders: [BenchPublisher?] = []
        var owners: [BenchPeer] = []
        for participant in participants {
            if let publisher = participant.publisher {
                descriptors.append(pollfd(fd: publisher.peer.socket, events: Int16(POLLIN), revents: 0))
                receivers.append(nil)
                senders.append(publisher)
                owners.append(publisher.peer)
            }
            if let subscriber = participant.subscriber {
                descriptors.append(pollfd(fd: subscriber.peer.socket, events: Int16(POLLIN), revents: 0))
                receivers.append(subscriber)
                senders.append(nil)
                owners.append(subscriber.peer)
            }
        }
        let peers = participants.flatMap(\.peers)
        let batch = DatagramBatch(capacity: 64)

        func pump(until end: UInt64, sending: Bool) {
            var nextConsentCheck = Monotonic.now()
            while true {
                var now = Monotonic.now()
                guard now < end else { return }
                if sending {
                    for publisher in publishers where publisher.nextDue <= now { publisher.sendDue(now: now) }
                }
                if now >= nextConsentCheck {
                    // Consent freshness (RFC 7675): keep every path alive past the relay's timeout.
                    for peer in peers { if let request = peer.bindingRequest() { peer.send(request) } }
                    nextConsentCheck = now + 2_000_000_000
                }
                let due = sending ? publishers.map(\.nextDue).min() ?? end : end
                // To the nanosecond: a publisher paced at thousands of packets a second would
                // otherwise spin, and the generator's CPU would say nothing of its real work.
                let wait = due > now ? min(due - now, 5_000_000) : 0
                _ = relay_poll_ns(&descriptors, UInt(descriptors.count), wait)
                now = Monotonic.now()
                for index in descriptors.indices where descriptors[index].revents != 0 {
                    while batch.receive(from: descriptors[index].fd) > 0 {
                        for slot in 0..<batch.count {
                            let datagram = batch.bytes(at: slot)
                            if DatagramKind(classifying: UnsafeRawBufferPointer(datagram)) == .stun {
                                if let response = owners[index].answer(Array(datagram)) { owners[index].send(response) }
                            } else if let publisher = senders[index] {
                                publisher.handleRtcp(datagram, now: now)
                            } else {
                                receivers[index]?.handle(datagram, now: now)
                            }
                        }
                    }
                }
                for subscriber in subscribers where (subscriber.nextFeedback ?? .max) <= now { subscriber.sendFeedback(now: now) }
            }
        }

        // The flood runs through warm-up and the window; the relay's counters are read before it.
        var flooder: Flooder?
        var floodMetricsBefore: [String: Double]?
        var kernelDropsBefore: UInt64?
        if scenario.floodRate > 0 {
            guard let floodTarget = Self.floodTarget(participants: participants) else {
                throw Failure(description: "no connected transport to flood the relay beside")
            }
            floodMetricsBefore = metrics()
            kernelDropsBefore = KernelUdpDrops.count(port: floodTarget.address.port)
            let started = try Flooder(target: floodTarget, rate: scenario.floodRate)
            started.start()
            flooder = started
            log("  flooding \(floodTarget.address) at \(scenario.floodRate)/s")
        }

        let start = Monotonic.now()
        // People in a call are not in step: each publisher begins its 20 ms audio and its frames
        // at its own phase, spread over one audio interval. Started together, every publisher's
        // packet of each interval (and every keyframe) reached the relay in the same instant.
        for (index, publisher) in publishers.enumerated() {
            publisher.start(at: start + UInt64(index) * BenchPublisher.audioInterval / UInt64(publishers.count))
        }
        pump(until: start + UInt64(scenario.warmupSeconds * 1e9), sending: true)

        for subscriber in subscribers { subscriber.resetCounters() }
        for publisher in publishers { publisher.rtcpReceived = RtcpCounts() }
        let sentBefore = publishers.reduce(0) { $0 + $1.packetsSent }
        janusSession?.keepAlive()
        let metricsBefore = metrics()
        let machineBefore = MachineSnapshot.take(of: relay)
        let windowStart = Monotonic.now()
        pump(until: windowStart + UInt64(scenario.seconds * 1e9), sending: true)
        // A low-rate row goes on until its CPU figure rests on enough CPU time, if asked.
        let longest = windowStart + UInt64(scenario.maximumSeconds * 1e9)
        while Monotonic.now() < longest,
            Double((relay.cpuNanoseconds() ?? 0) &- machineBefore.sfuCpuNanoseconds) < scenario.minimumCpuSeconds * 1e9
        {
            pump(until: min(Monotonic.now() + 1_000_000_000, longest), sending: true)
        }
        let windowEnd = Monotonic.now()
        let machineAfter = MachineSnapshot.take(of: relay)
        let metricsAfter = metrics()
        let floodCounts = flooder?.stop()
        let congestion = CongestionCounts(
            publishers: publishers, subscribers: subscribers, metricsBefore: metricsBefore, metricsAfter: metricsAfter)
        let sent = publishers.reduce(0) { $0 + $1.packetsSent } - sentBefore
        // What is still in flight arrives; nothing more is sent.
        pump(until: Monotonic.now() + 300_000_000, sending: false)
        var flood: FloodResult?
        if let flooder, let floodCounts {
            // Read the relay's counters once it has worked through what the flood left queued.
            var settled = metrics()
            for _ in 0..<15 {
                pump(until: Monotonic.now() + 200_000_000, sending: false)
                let next = metrics()
                let stable = Self.floodDrops(in: next) == Self.floodDrops(in: settled)
                settled = next
                if stable { break }
            }
            let kernelDrops = KernelUdpDrops.count(port: flooder.target.address.port).flatMap { after in
                kernelDropsBefore.map { after >= $0 ? after - $0 : 0 }
            }
            flood = FloodResult(
                counts: floodCounts, rate: scenario.floodRate, sockets: flooder.socketCount, before: floodMetricsBefore,
                after: settled, kernelDrops: kernelDrops)
        }

        var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        for subscriber in subscribers { latency.add(subscriber.latency) }
        let seconds = Double(windowEnd - windowStart) / 1e9
        // One denominator for every SFU: what the subscribers decrypted, each packet once.
        let delivered = subscribers.reduce(0) { $0 + $1.packetsReceived }
        var sizes = PacketSizeMix()
        for subscriber in subscribers { sizes.add(subscriber.sizes) }
        // The floor at this row's mix, measured now that the load has stopped.
        let floor = try FloorMeasurement.measure(lengths: sizes.sample(1024))
        janusSession?.keepAlive()
        // The signaling sockets must stay open to the end: closing one makes the SFU remove
        // its participant, and an optimised build would release them after their last use.
        withExtendedLifetime(participants) {}
        // Loss is the SFU's: a subscriber behind a thin downlink loses what the downlink sheds.
        let open = subscribers.filter { $0.downlink == nil }
        let lost = open.reduce(0) { $0 + $1.packetsLost }
        let expected = open.reduce(0) { $0 + $1.packetsExpected }
        let cpu = Double(machineAfter.sfuCpuNanoseconds &- machineBefore.sfuCpuNanoseconds)
        if expectsFeedback, let missing = congestion.missingFeedback() { throw Failure(description: missing) }
        return LoadResult(
            scenario: scenario, seconds: seconds, packetsSent: sent, packetsDelivered: delivered,
            deliveredPerSecond: Double(delivered) / seconds,
            duplicatePackets: subscribers.reduce(0) { $0 + $1.duplicatePackets },
            megabitsPerSecond: Double(subscribers.reduce(0) { $0 + $1.bytesReceived }) * 8 / seconds / 1e6,
            sfuCpuSeconds: cpu / 1e9, sfuCpuNsPerDelivered: delivered == 0 ? 0 : cpu / Double(delivered),
            relayCounted: metricsBefore.flatMap { before in metricsAfter.map { RelayCounts(before: before, after: $0) } },
            machine: MachineUse(from: machineBefore, to: machineAfter, sfu: relay), floor: floor, packetsLost: lost,
            lossRatio: expected == 0 ? 0 : Double(lost) / Double(expected),
            latencyP50Microseconds: latency.valueAtPercentile(50), latencyP99Microseconds: latency.valueAtPercentile(99),
            latencyMaxMicroseconds: latency.max, relayPeakResidentKilobytes: relay.peakResidentKilobytes() ?? 0,
            decryptFailures: subscribers.reduce(0) { $0 + $1.decryptFailures },
            videoFramesPerSecond: Self.framesPerSecond(subscribers, seconds: seconds),
            decoded: scenario.verify ? Self.decoded(by: participants) : nil, congestion: congestion, flood: flood,
            receivedByTile: scenario.simulcast ? Self.receivedByTile(participants, seconds: seconds) : nil)
    }

    /// The layers below the 640×360 clip, as the call page asks a browser for them: a quarter
    /// and half the size, at 100 and 400 kbit/s.
    static func simulcastClips() throws -> [(rid: String, clip: VideoClip)] {
        [
            ("q", try VideoClip(width: 160, height: 90, frameRate: 30, kilobitsPerSecond: 100, seconds: 2)),
            ("h", try VideoClip(width: 320, height: 180, frameRate: 30, kilobitsPerSecond: 400, seconds: 2)),
        ]
    }

    private static func receivedByTile(_ participants: [any BenchClient], seconds: Double) -> [String: [Double]] {
        var groups: [String: [Double]] = [:]
        for case let participant as BenchParticipant in participants {
            guard participant.publisher == nil, let index = participant.subscriberIndex, let subscriber = participant.subscriber else { continue }
            groups[SimulcastTiles.viewer(ofSubscriber: index).name, default: []].append(Double(subscriber.bytesReceived) * 8 / 1000 / seconds)
        }
        return groups
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The relay's `/metrics`; nil for Janus.
    private func metrics() -> [String: Double]? {
        target == .relay ? MetricsReader.snapshot(host: host, port: httpPort) : nil
    }

    /// Video frames received a second per subscribed video stream.
    private static func framesPerSecond(_ subscribers: [BenchSubscriber], seconds: Double) -> Double {
        let streams = subscribers.reduce(0) { $0 + $1.videoSsrcs.count }
        guard streams > 0, seconds > 0 else { return 0 }
        return Double(subscribers.reduce(0) { $0 + $1.videoFramesReceived }) / Double(streams) / seconds
    }

    private func joinRelay(
        audio: AudioClip, videos: [VideoClip], sources: SourceFrames?, lowerClips: [(rid: String, clip: VideoClip)],
        pacing: BenchPublisher.Pacing, context: DtlsContext
    ) throws -> [any BenchClient] {
        var participants: [BenchParticipant] = []
        // Joining hundreds takes longer than the relay's consent timeout (RFC 7675: 30 s), so
        // the paths already up are kept alive meanwhile, as in the measured run (`pump`).
        var nextConsentCheck = Monotonic.now() + 2_000_000_000
        func keepConsent() {
            let now = Monotonic.now()
            guard now >= nextConsentCheck else { return }
            for peer in participants.flatMap(\.peers) { if let request = peer.bindingRequest() { peer.send(request) } }
            nextConsentCheck = now + 2_000_000_000
        }
        for room in 0..<scenario.rooms {
            let roomName = "bench-\(room)-\(UInt32.random(in: 0...UInt32.max))"
            var publisherIds: [String] = []
            for index in 0..<scenario.publishers {
                let participant = try BenchParticipant(
                    name: "pub\(index)", room: roomName, host: host, port: httpPort, context: context, verifyingAgainst: sources)
                try participant.publish(
                    audio: audio, video: videos.isEmpty ? nil : videos[room * scenario.publishers + index], pacing: pacing, lowerLayers: lowerClips.map { SimulcastLayer(rid: $0.rid, clip: $0.clip) })
                participants.append(participant)
                publisherIds.append(participant.id)
            }
            for index in 0..<scenario.subscribers {
                let participant = try BenchParticipant(
                    name: "sub\(index)", room: roomName, host: host, port: httpPort, context: context, verifyingAgainst: sources)
                participant.subscriberIndex = index
                participant.tilesToShow = publisherIds
                participants.append(participant)
                keepConsent()
            }
        }
        // Renegotiations settle: every participant answers what was offered to it.
        for _ in 0..<2 {
            for participant in participants {
                try participant.answerOffers(quiet: 0.05)
                keepConsent()
            }
        }
        // Tile sizes apply to subscriptions that exist: sent once the offers are answered, as
        // the call page does. A downlink holds 100 ms of its rate.
        if scenario.simulcast {
            for participant in participants {
                guard let index = participant.subscriberIndex else { continue }
                let viewer = SimulcastTiles.viewer(ofSubscriber: index)
                if let rate = viewer.downlink {
                    participant.subscriber?.downlink = TokenBucket(refillPerSecond: Double(rate), capacity: Double(rate) / 10)
                }
                guard let size = viewer.size else { continue }
                for id in participant.tilesToShow { try participant.showTile(of: id, width: size.width, height: size.height) }
            }
        }
        return participants
    }

    private func joinJanus(
        session: JanusSession, audio: AudioClip, videos: [VideoClip], sources: SourceFrames?, pacing: BenchPublisher.Pacing,
        contexts: (client: DtlsContext, server: DtlsContext)
    ) throws -> [any BenchClient] {
        var participants: [JanusParticipant] = []
        for roomIndex in 0..<scenario.rooms {
            let room = UInt64.random(in: 1_000...UInt64(UInt32.max))
            try JanusParticipant.createRoom(room, session: session)
            var publishers: [JanusParticipant] = []
            for index in 0..<scenario.publishers {
                let participant = JanusParticipant(session: session, room: room, contexts: contexts, verifyingAgainst: sources)
                let video = videos.isEmpty ? nil : videos[roomIndex * scenario.publishers + index]
                try participant.publish(name: "pub\(roomIndex)-\(index)", audio: audio, video: video, pacing: pacing)
                publishers.append(participant)
            }
            let feeds = publishers.compactMap(\.feedId)
            for publisher in publishers {
                try publisher.subscribe(to: feeds.filter { $0 != publisher.feedId })
            }
            var subscribers: [JanusParticipant] = []
            for _ in 0..<scenario.subscribers {
                let participant = JanusParticipant(session: session, room: room, contexts: contexts, verifyingAgainst: sources)
                try participant.subscribe(to: feeds)
                subscribers.append(participant)
            }
            participants += publishers + subscribers
        }
        return participants
    }
}
