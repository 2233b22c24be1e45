import DTLS
import Foundation
import Relay

/// Joins and leaves a room over and over, as real clients do, and follows the relay's resident
/// memory: each cycle a participant connects its signaling socket, joins, publishes Opus and
/// VP8 (ICE and DTLS-SRTP handshakes with the relay), answers the subscribe offer for the
/// resident publisher's tracks and connects that transport too, sends a quarter second of
/// media, says `leave` and closes. The resident publisher stays the whole run, so every cycle
/// also adds and removes subscriptions and renegotiates on the relay's side.
struct SoakRun {
    struct Result: Encodable {
        struct Sample: Encodable {
            var cycle: Int
            var residentKilobytes: UInt64
        }

        var cycles: Int
        var seconds: Double
        var warmupCycles: Int
        var samples: [Sample]
        /// Least-squares slope of the resident size over the cycles after warm-up, bytes per cycle.
        var bytesPerCycle: Double
        var failures: Int
    }

    let host: String
    let httpPort: UInt16
    let relay: RelayProcess
    let cycles: Int
    let warmupCycles: Int
    let sampleEvery: Int

    func run(log: (String) -> Void) throws -> Result {
        let audio = try AudioClip()
        let video = try VideoClip(width: 320, height: 180, frameRate: 30, kilobitsPerSecond: 300, seconds: 1)
        let certificate = try DtlsCertificate.generate(commonName: "relay-bench-soak")
        let context = try DtlsContext(role: .client, certificate: certificate)
        let room = "soak-\(UInt32.random(in: 0...UInt32.max))"
        let resident = try BenchParticipant(name: "resident", room: room, host: host, port: httpPort, context: context)
        try resident.publish(audio: audio, video: video, pacing: .init())

        var samples: [Result.Sample] = []
        var failures = 0
        let start = Date()
        for cycle in 0..<cycles {
            do {
                try oneCycle(cycle, room: room, audio: audio, video: video, context: context, resident: resident)
            } catch {
                failures += 1
                log("soak: cycle \(cycle) failed: \(error)")
            }
            if cycle % sampleEvery == sampleEvery - 1, let resident = residentKilobytes() {
                samples.append(.init(cycle: cycle + 1, residentKilobytes: resident))
                log("soak: \(cycle + 1) cycles, relay resident \(resident / 1024) MiB")
            }
        }
        let measured = samples.filter { $0.cycle > warmupCycles }
        return Result(
            cycles: cycles, seconds: Date().timeIntervalSince(start), warmupCycles: warmupCycles, samples: samples,
            bytesPerCycle: Self.slope(measured), failures: failures)
    }

    private func oneCycle(
        _ cycle: Int, room: String, audio: AudioClip, video: VideoClip, context: DtlsContext, resident: BenchParticipant
    ) throws {
        let participant = try BenchParticipant(name: "cycle\(cycle)", room: room, host: host, port: httpPort, context: context)
        try participant.publish(audio: audio, video: video, pacing: .init())
        try participant.answerOffers(quiet: 0.02)
        try resident.answerOffers(quiet: 0.01)
        guard let publisher = participant.publisher else { return }
        let begin = Monotonic.now()
        publisher.start(at: begin)
        while Monotonic.now() < begin + 250_000_000 {
            publisher.sendDue(now: Monotonic.now())
            usleep(5_000)
        }
        try participant.signaling.send(["type": "leave"])
        try resident.answerOffers(quiet: 0.01)
        // Consent freshness (RFC 7675): the resident's paths must outlive the relay's timeout.
        for peer in resident.peers { if let request = peer.bindingRequest() { peer.send(request) } }
    }

    /// VmRSS of the relay, in kilobytes.
    private func residentKilobytes() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(relay.pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return line.split(separator: " ").dropFirst().first.flatMap { UInt64($0) }
        }
        return nil
    }

    static func slope(_ samples: [Result.Sample]) -> Double {
        guard samples.count >= 2 else { return 0 }
        let xs = samples.map { Double($0.cycle) }
        let ys = samples.map { Double($0.residentKilobytes) * 1024 }
        let meanX = xs.reduce(0, +) / Double(xs.count)
        let meanY = ys.reduce(0, +) / Double(ys.count)
        var numerator = 0.0
        var denominator = 0.0
        for (x, y) in zip(xs, ys) {
            numerator += (x - meanX) * (y - meanY)
            denominator += (x - meanX) * (x - meanX)
        }
        return denominator > 0 ? numerator / denominator : 0
    }
}
