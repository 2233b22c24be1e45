import Foundation

/// The resident memory of this process, which in the live-server tests is the server's: the
/// second field of /proc/self/statm (pages), in bytes.
enum ResidentMemory {
    static func bytes() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else {
            throw SocketTestFailure("cannot read /proc/self/statm: \(statm)")
        }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func mebibytes(_ bytes: Int) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
