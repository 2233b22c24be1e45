import ArgumentParser
import Foundation

@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay-bench",
        abstract: "Load generator for the relay: real WebRTC publishers and subscribers on 127.0.0.1.",
        subcommands: [Load.self, Floor.self, Soak.self])

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run one scenario against a running relay; prints one JSON result.")

        @Option(help: "The SFU under load: relay, or janus (its VideoRoom over the REST API).") var target = "relay"
        @Option(help: "The SFU's HTTP address.") var host = "127.0.0.1"
        @Option(help: "The SFU's HTTP port: the relay's, or Janus's REST API.") var httpPort: UInt16 = 8080
        @Option(help: "The SFU's process id, to read its CPU time and memory.") var relayPid: Int32
        @Option(help: "Another process of the SFU whose CPU time counts too (a room across cluster nodes); repeatable.")
        var alsoPid: [Int32] = []
        @Option(help: "A name for the scenario in the report.") var name = "load"
        @Option var rooms = 1
        @Option(help: "Publishers per room; each also receives the others.") var publishers = 1
        @Option(help: "Receive-only participants per room.") var subscribers = 1
        @Flag(help: "Publish Opus only.") var audioOnly = false
        @Option(help: "Video packets a second per publisher (max-rate runs); omitted: 30 fps at the clip's bitrate.")
        var videoPacketsPerSecond: Int?
        @Option(help: "Measured seconds.") var seconds = 5.0
        @Option(help: "Seconds of load before measuring.") var warmup = 1.0
        @Flag(help: "Decode everything received with libvpx and libopus, to prove the media arrived intact.") var verify = false
        @Flag(help: "Fail unless every publisher received transport-wide feedback and the subscribers sent some.")
        var expectFeedback = false
        @Option(help: "Bad datagrams a second sent to the relay's media port during warm-up and the window (random bytes, forged STUN, SRTP and SRTCP); 0: none.")
        var floodRate = 0
        @Flag(help: "Publish three simulcast layers (q 160x90, h 320x180, f 640x360); receive-only subscribers show them in tiles of mixed sizes.")
        var simulcast = false
        @Option(help: "Go on measuring, a second at a time, until the SFU has used this much CPU in the window (or --max-seconds).")
        var minCpuSeconds = 0.0
        @Option(help: "The longest the measured window may grow to for --min-cpu-seconds.") var maxSeconds: Double?

        func run() throws {
            let scenario = LoadScenario(
                name: name, rooms: rooms, publishers: publishers, subscribers: subscribers, audioOnly: audioOnly,
                videoPacketsPerSecond: videoPacketsPerSecond, seconds: seconds, warmupSeconds: warmup,
                verify: verify, floodRate: floodRate, simulcast: simulcast, minimumCpuSeconds: minCpuSeconds,
                maximumSeconds: max(maxSeconds ?? seconds, seconds))
            guard !simulcast || (!audioOnly && videoPacketsPerSecond == nil && target == "relay") else {
                throw ValidationError("--simulcast sends video at the clips' pace, to the relay")
            }
            guard floodRate >= 0 else { throw ValidationError("--flood-rate is at least 0") }
            guard !verify || rooms == 1 else { throw ValidationError("--verify counts what each subscriber expects in one room: --rooms 1") }
            guard let target = LoadRun.Target(rawValue: target) else { throw ValidationError("--target is relay or janus") }
            // The flood is checked against the relay's own drop counters, which Janus has not.
            guard floodRate == 0 || target == .relay else { throw ValidationError("--flood-rate needs --target relay") }
            let run = LoadRun(
                scenario: scenario, target: target, host: host, httpPort: httpPort,
                relay: RelayProcess(pid: relayPid, companions: alsoPid), expectsFeedback: expectFeedback)
            let result = try run.run { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        }
    }

    struct Floor: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the forwarding floor of this machine at given datagram lengths; prints JSON. (Each load run measures its own, at its mix.)")

        @Option(help: "A datagram length to measure at (repeatable; the mix cycles through them).") var length: [Int] = [1200]

        func run() throws {
            guard length.allSatisfy({ (29...1500).contains($0) }) else { throw ValidationError("--length is 29 to 1500 bytes") }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(FloorMeasurement.measure(lengths: length)), as: UTF8.self))
        }
    }
}
