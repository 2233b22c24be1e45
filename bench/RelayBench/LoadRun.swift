import DTLS
import Foundation
import Histogram
import Relay

/// Drives one scenario against a running relay: joins every participant, publishes, answers
/// the subscribe offers, then sends and receives on one thread for the measured window.
struct LoadRun {
    var scenario: LoadScenario
    var host: String
    var httpPort: UInt16
    var relay: RelayProcess

    func run(log: (String) -> Void) throws -> LoadResult {
        let audio = try AudioClip()
        let video = scenario.audioOnly ? nil : try VideoClip(width: 640, height: 360, frameRate: 30, kilobitsPerSecond: 1200, seconds: 2)
        let context = try DtlsContext(role: .client, certificate: DtlsCertificate.generate(commonName: "relay-bench"))
        let pacing = BenchPublisher.Pacing(videoPacketsPerSecond: scenario.videoPacketsPerSecond)

        var participants: [BenchParticipant] = []
        for room in 0..<scenario.rooms {
            let roomName = "bench-\(scenario.name.filter { $0.isLetter || $0.isNumber })-\(room)-\(UInt16.random(in: 0...UInt16.max))"
            for index in 0..<scenario.publishers {
                let participant = try BenchParticipant(name: "pub\(index)", room: roomName, host: host, port: httpPort, context: context)
                try participant.publish(audio: audio, video: video, pacing: pacing)
                participants.append(participant)
            }
            for index in 0..<scenario.subscribers {
                participants.append(try BenchParticipant(name: "sub\(index)", room: roomName, host: host, port: httpPort, context: context))
            }
        }
        // Renegotiations settle: every participant answers what was offered to it.
        for _ in 0..<2 {
            for participant in participants { try participant.answerOffers(quiet: 0.05) }
        }
        let publishers = participants.compactMap(\.publisher)
        let subscribers = participants.compactMap(\.subscriber)
        log("  \(publishers.count) publishers, \(subscribers.count) subscribe connections connected")

        var descriptors: [pollfd] = []
        var receivers: [BenchSubscriber?] = []
        for participant in participants {
            if let publisher = participant.publisher {
                descriptors.append(pollfd(fd: publisher.peer.socket, events: Int16(POLLIN), revents: 0))
                receivers.append(nil)
            }
            if let subscriber = participant.subscriber {
                descriptors.append(pollfd(fd: subscriber.peer.socket, events: Int16(POLLIN), revents: 0))
                receivers.append(subscriber)
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
                let wait = due > now ? Int32(min((due - now) / 1_000_000, 5)) : 0
                _ = poll(&descriptors, nfds_t(descriptors.count), wait)
                now = Monotonic.now()
                for index in descriptors.indices where descriptors[index].revents != 0 {
                    while batch.receive(from: descriptors[index].fd) > 0 {
                        guard let receiver = receivers[index] else { continue }
                        for slot in 0..<batch.count { receiver.handle(batch.bytes(at: slot), now: now) }
                    }
                }
            }
        }

        let start = Monotonic.now()
        for publisher in publishers { publisher.start(at: start) }
        pump(until: start + UInt64(scenario.warmupSeconds * 1e9), sending: true)

        for subscriber in subscribers { subscriber.resetCounters() }
        let sentBefore = publishers.reduce(0) { $0 + $1.packetsSent }
        let forwardedBefore = MetricsReader.value(of: "relay_forwarded_packets_total", host: host, port: httpPort) ?? 0
        let cpuBefore = relay.cpuNanoseconds() ?? 0
        let windowStart = Monotonic.now()
        pump(until: windowStart + UInt64(scenario.seconds * 1e9), sending: true)
        let windowEnd = Monotonic.now()
        let cpuAfter = relay.cpuNanoseconds() ?? 0
        let forwardedAfter = MetricsReader.value(of: "relay_forwarded_packets_total", host: host, port: httpPort) ?? 0
        let sent = publishers.reduce(0) { $0 + $1.packetsSent } - sentBefore
        // What is still in flight arrives; nothing more is sent.
        pump(until: Monotonic.now() + 300_000_000, sending: false)

        var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        for subscriber in subscribers { latency.add(subscriber.latency) }
        let seconds = Double(windowEnd - windowStart) / 1e9
        let forwarded = UInt64(max(0, forwardedAfter - forwardedBefore))
        let lost = subscribers.reduce(0) { $0 + $1.packetsLost }
        let expected = subscribers.reduce(0) { $0 + $1.packetsExpected }
        let cpu = Double(cpuAfter - cpuBefore)
        return LoadResult(
            scenario: scenario, seconds: seconds, packetsSent: sent, packetsForwarded: forwarded,
            forwardedPerSecond: Double(forwarded) / seconds,
            megabitsPerSecond: Double(subscribers.reduce(0) { $0 + $1.bytesReceived }) * 8 / seconds / 1e6,
            relayCpuSeconds: cpu / 1e9, relayCpuNsPerForwarded: forwarded == 0 ? 0 : cpu / Double(forwarded),
            packetsReceived: subscribers.reduce(0) { $0 + $1.packetsReceived }, packetsLost: lost,
            lossRatio: expected == 0 ? 0 : Double(lost) / Double(expected),
            latencyP50Microseconds: latency.valueAtPercentile(50), latencyP99Microseconds: latency.valueAtPercentile(99),
            latencyMaxMicroseconds: latency.max, relayPeakResidentKilobytes: relay.peakResidentKilobytes() ?? 0,
            decryptFailures: subscribers.reduce(0) { $0 + $1.decryptFailures })
    }
}
