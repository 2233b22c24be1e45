import Foundation

/// What the benchmark reads of the SFU's process from /proc: CPU time, peak memory and the
/// cores it may run on. An SFU of several processes (a room across cluster nodes) names the
/// others as `companions`: their CPU counts with the first's.
struct RelayProcess {
    let pid: Int32
    var companions: [Int32] = []

    /// Time on CPU of every thread of the process and its companions, in nanoseconds, from each
    /// thread's schedstat (its first field, run time in ns). /proc/PID/stat counts in clock
    /// ticks of 10 ms, too coarse for a window of a few hundred packets a second.
    func cpuNanoseconds() -> UInt64? {
        var total: UInt64 = 0
        for process in [pid] + companions {
            guard let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process)/task") else { return nil }
            for thread in threads {
                guard let text = try? String(contentsOfFile: "/proc/\(process)/task/\(thread)/schedstat", encoding: .utf8),
                    let field = text.split(separator: " ").first, let nanoseconds = UInt64(field)
                else { continue }
                total &+= nanoseconds
            }
        }
        return total
    }

    /// Time on CPU of each media worker thread (named `relay-media-N`), in nanoseconds, by name:
    /// a room spread over workers shows here how its work divides.
    func mediaWorkerNanoseconds() -> [String: UInt64] {
        guard let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return [:] }
        var byName: [String: UInt64] = [:]
        for thread in threads {
            guard let name = try? String(contentsOfFile: "/proc/\(pid)/task/\(thread)/comm", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines), name.hasPrefix("relay-media-"),
                let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(thread)/schedstat", encoding: .utf8),
                let field = text.split(separator: " ").first, let nanoseconds = UInt64(field)
            else { continue }
            byName[name, default: 0] &+= nanoseconds
        }
        return byName
    }

    /// VmHWM, the peak resident set size, in kilobytes.
    func peakResidentKilobytes() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return line.split(separator: " ").dropFirst().first.flatMap { UInt64($0) }
        }
        return nil
    }

    /// The cores the process may run on (its affinity), or every core if it cannot be read.
    func cores() -> [Int] {
        Self.affinity(of: pid)
    }

    /// The cores process `pid` may run on, from `Cpus_allowed_list` in /proc/PID/status
    /// (`0-1`, `1`, `0,2-3`); every core if it cannot be read.
    static func affinity(of pid: Int32) -> [Int] {
        let every = Array(0..<ProcessInfo.processInfo.activeProcessorCount)
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }),
            let list = line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces)
        else { return every }
        var cores: [Int] = []
        for range in list.split(separator: ",") {
            let ends = range.split(separator: "-").compactMap { Int($0) }
            guard let low = ends.first, let high = ends.last, low <= high, high < 4096 else { return every }
            cores += Array(low...high)
        }
        return cores.isEmpty ? every : cores
    }
}
