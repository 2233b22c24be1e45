import Foundation

/// What the machine shows at one moment of a run, beyond the SFU's own counters: the SFU's CPU
/// time, each core's busy time, and the datagrams the kernel dropped on the SFU's sockets and on
/// the load generator's. Two of them give who was short of what in between.
struct MachineSnapshot {
    var sfuCpuNanoseconds: UInt64
    var cores: CoreTimes
    var sfuSocketDrops: UInt64?
    var generatorSocketDrops: UInt64?

    static func take(of sfu: RelayProcess) -> MachineSnapshot {
        MachineSnapshot(
            sfuCpuNanoseconds: sfu.cpuNanoseconds() ?? 0, cores: CoreTimes.now(),
            sfuSocketDrops: KernelUdpDrops.count(ownedBy: sfu.pid), generatorSocketDrops: KernelUdpDrops.count(ownedBy: getpid()))
    }
}

/// Between two snapshots: who was busy and who dropped what (`LoadResult.machine`).
struct MachineUse: Codable {
    /// Cores the SFU may run on and cores the load generator may run on; the same cores when
    /// neither was pinned.
    var sfuCores: [Int]
    var generatorCores: [Int]
    /// How busy each of those cores was, 0 to 1 (the busiest where a process has several).
    var sfuCoreBusy: Double
    var generatorCoreBusy: Double
    /// Datagrams the kernel dropped before they were read, on the SFU's sockets and on the
    /// generator's; nil where /proc did not tell.
    var sfuSocketDrops: UInt64?
    var generatorSocketDrops: UInt64?

    /// Busier than this, a core is the bottleneck of the row.
    static let saturated = 0.9

    init(from before: MachineSnapshot, to after: MachineSnapshot, sfu: RelayProcess) {
        sfuCores = sfu.cores()
        generatorCores = RelayProcess.affinity(of: getpid())
        let busy = after.cores.utilisation(since: before.cores)
        sfuCoreBusy = sfuCores.compactMap { busy[$0] }.max() ?? 0
        generatorCoreBusy = generatorCores.compactMap { busy[$0] }.max() ?? 0
        sfuSocketDrops = Self.difference(before.sfuSocketDrops, after.sfuSocketDrops)
        generatorSocketDrops = Self.difference(before.generatorSocketDrops, after.generatorSocketDrops)
    }

    /// The load generator, not the SFU, limited the row: its core was saturated or its sockets
    /// overflowed. Only meaningful when the two are pinned to different cores.
    var generatorBound: Bool {
        Set(sfuCores).isDisjoint(with: generatorCores) && (generatorCoreBusy >= Self.saturated || (generatorSocketDrops ?? 0) > 0)
    }

    private static func difference(_ before: UInt64?, _ after: UInt64?) -> UInt64? {
        guard let before, let after else { return nil }
        return after >= before ? after - before : 0
    }
}
