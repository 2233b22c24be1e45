import Foundation

/// What the benchmark reads of the relay process from /proc: CPU time and peak memory.
struct RelayProcess {
    let pid: Int32

    /// utime + stime in nanoseconds (proc(5): fields 14 and 15, in clock ticks).
    func cpuNanoseconds() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name, which may hold spaces: field 3 is the first here.
        let fields = text[text.index(after: end)...].split(separator: " ")
        guard fields.count > 13, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return nil }
        let ticks = UInt64(sysconf(Int32(_SC_CLK_TCK)))
        return (user + system) * 1_000_000_000 / ticks
    }

    /// VmHWM, the peak resident set size, in kilobytes.
    func peakResidentKilobytes() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return line.split(separator: " ").dropFirst().first.flatMap { UInt64($0) }
        }
        return nil
    }
}
