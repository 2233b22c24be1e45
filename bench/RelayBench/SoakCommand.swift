import ArgumentParser
import Foundation

extension BenchCommand {
    struct Soak: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join, publish, subscribe and leave over and over against a running relay; prints one JSON result.")

        @Option(help: "The relay's HTTP address.") var host = "127.0.0.1"
        @Option(help: "The relay's HTTP port.") var httpPort: UInt16 = 8080
        @Option(help: "The relay's process id, to read its resident memory.") var relayPid: Int32
        @Option(help: "Join-publish-leave cycles.") var cycles = 1000
        @Option(help: "Cycles before the memory slope is measured.") var warmupCycles = 200
        @Option(help: "Read the relay's memory every this many cycles.") var sampleEvery = 25

        func run() throws {
            guard cycles > warmupCycles, sampleEvery > 0 else {
                throw ValidationError("--cycles must exceed --warmup-cycles, and --sample-every be positive")
            }
            let soak = SoakRun(
                host: host, httpPort: httpPort, relay: RelayProcess(pid: relayPid), cycles: cycles,
                warmupCycles: warmupCycles, sampleEvery: sampleEvery)
            let result = try soak.run { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        }
    }
}
