import Foundation
import Relay

/// What the machine shows at one moment of a run, beyond the SFU's own counters: the CPU time of
/// the SFU and of the load generator, and the datagrams the kernel dropped on the SFU's sockets
/// and on the generator's. Two of them give who was short of what in between.
struct MachineSnapshot {
    var at: UInt64
    var sfuCpuNanoseconds: UInt64
    var generatorCpuNanoseconds: UInt64
    var sfuSocketDrops: UInt64?
    var generatorSocketDrops: UInt64?
    var mediaWorkerNanoseconds: [String: UInt64]

    static func take(of sfu: RelayProcess) -> MachineSnapshot {
        MachineSnapshot(
            at: Monotonic.now(), sfuCpuNanoseconds: sfu.cpuNanoseconds() ?? 0,
            generatorCpuNanoseconds: RelayProcess(pid: getpid()).cpuNanoseconds() ?? 0,
            sfuSocketDrops: KernelUdpDrops.count(ownedBy: sfu.pid), generatorSocketDrops: KernelUdpDrops.count(ownedBy: getpid()),
            mediaWorkerNanoseconds: sfu.mediaWorkerNanoseconds())
    }
}

/// Between two snapshots: who was busy and who dropped what (`LoadResult.machine`).
struct MachineUse: Codable {
    /// Cores the SFU may run on and cores the load generator may run on; the same cores when
    /// neither was pinned.
    var sfuCores: [Int]
    var generatorCores: [Int]
    /// The CPU time each process used over the window's wall time (schedstat, every thread):
    /// pinned to one core each, how busy it kept its core, 0 to 1. (/proc/stat's per-core
    /// figures sample at the 10 ms tick and miss work that wakes and sleeps between ticks.)
    var sfuCoreBusy: Double
    var generatorCoreBusy: Double
    /// Datagrams the kernel dropped before they were read, on the SFU's sockets and on the
    /// generator's; nil where /proc did not tell.
    var sfuSocketDrops: UInt64?
    var generatorSocketDrops: UInt64?
    /// The relay's media worker threads (`relay-media-N`), each one's CPU time over the window's
    /// wall time, 0 to 1: the busiest is the one that runs out first. Empty for Janus.
    var mediaWorkerBusy: [String: Double]

    init(from before: MachineSnapshot, to after: MachineSnapshot, sfu: RelayProcess) {
        sfuCores = sfu.cores()
        generatorCores = RelayProcess.affinity(of: getpid())
        let wall = Double(max(after.at &- before.at, 1))
        sfuCoreBusy = Double(after.sfuCpuNanoseconds &- before.sfuCpuNanoseconds) / wall / Double(max(sfuCores.count, 1))
        generatorCoreBusy =
            Double(after.generatorCpuNanoseconds &- before.generatorCpuNanoseconds) / wall / Double(max(generatorCores.count, 1))
        mediaWorkerBusy = after.mediaWorkerNanoseconds.reduce(into: [:]) { busy, thread in
            busy[thread.key] = Double(thread.value &- (before.mediaWorkerNanoseconds[thread.key] ?? 0)) / wall
        }
        sfuSocketDrops = Self.difference(before.sfuSocketDrops, after.sfuSocketDrops)
        generatorSocketDrops = Self.difference(before.generatorSocketDrops, after.generatorSocketDrops)
    }

    private static func difference(_ before: UInt64?, _ after: UInt64?) -> UInt64? {
        guard let before, let after else { return nil }
        return after >= before ? after - before : 0
    }
}
