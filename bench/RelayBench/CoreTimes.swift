import Foundation

/// Each core's busy and total time so far, from /proc/stat (in clock ticks): two snapshots give
/// how busy each core was in between, which tells whether the SFU's core or the load
/// generator's was the one that ran out.
struct CoreTimes {
    /// Busy and total ticks by core number.
    var cores: [Int: (busy: UInt64, total: UInt64)]

    static func now() -> CoreTimes {
        var cores: [Int: (busy: UInt64, total: UInt64)] = [:]
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return CoreTimes(cores: [:]) }
        for line in text.split(separator: "\n") where line.hasPrefix("cpu") && !line.hasPrefix("cpu ") {
            let fields = line.split(separator: " ")
            // cpuN user nice system idle iowait irq softirq steal (proc(5)); idle and iowait are not busy.
            guard fields.count > 8, let core = Int(fields[0].dropFirst(3)) else { continue }
            let ticks = fields[1...8].compactMap { UInt64($0) }
            guard ticks.count == 8 else { continue }
            let total = ticks.reduce(0, +)
            cores[core] = (total - ticks[3] - ticks[4], total)
        }
        return CoreTimes(cores: cores)
    }

    /// How busy each core was between `earlier` and this snapshot, 0 to 1, by core number.
    func utilisation(since earlier: CoreTimes) -> [Int: Double] {
        var result: [Int: Double] = [:]
        for (core, now) in cores {
            guard let before = earlier.cores[core], now.total > before.total else { continue }
            result[core] = Double(now.busy &- before.busy) / Double(now.total - before.total)
        }
        return result
    }
}
