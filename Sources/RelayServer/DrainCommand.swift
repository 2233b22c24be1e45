import ArgumentParser
import Foundation

/// `relay drain`: asks the server serving from a data folder to drain, as SIGTERM does.
struct DrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain",
        abstract: "Ask the running server to drain: no new rooms, the participants told, exit once its rooms are empty or after --drain-timeout.")

    @Option(help: "The data folder of the server to drain (it writes relay.pid there).")
    var dataDir: String = "data"

    @Flag(help: "Exit now rather than drain (as a second SIGTERM does).")
    var now = false

    func run() throws {
        let file = PidFile(dataDirectory: dataDir)
        guard let pid = file.read(), pid > 1 else {
            throw ValidationError("no server is serving from \(dataDir): \(file.path) is missing or unreadable")
        }
        guard let command = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
            command.trimmingCharacters(in: .whitespacesAndNewlines) == "relay"
        else {
            throw ValidationError("process \(pid) named in \(file.path) is not a running relay")
        }
        for _ in 0..<(now ? 2 : 1) {
            guard kill(pid, SIGTERM) == 0 else {
                throw ValidationError("SIGTERM to \(pid) failed: \(String(cString: strerror(errno)))")
            }
            if now { usleep(200_000) }
        }
        print(now ? "relay \(pid): told to exit now" : "relay \(pid): draining; it exits once its rooms are empty or its drain timeout passes")
    }
}
