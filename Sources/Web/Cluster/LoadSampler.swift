/// Turns running totals into the rates a heartbeat reports: forwarded packets a second and the
/// process's share of the machine's CPU, each over the time since the previous sample. Pure, so
/// the arithmetic is tested without a clock.
struct LoadSampler: Sendable {
    /// Cores of the machine: 1.0 of CPU means all of them busy.
    let cores: Int
    private var previous: Sample?

    struct Sample: Sendable {
        /// Monotonic time of the sample.
        var nanoseconds: UInt64
        /// Packets forwarded since the media plane started.
        var forwardedPackets: UInt64
        /// CPU time the process has used, user and system, since it started.
        var cpuSeconds: Double
    }

    init(cores: Int) {
        self.cores = max(cores, 1)
    }

    /// The rates since the previous sample; zero for the first, which has nothing to compare to.
    mutating func rates(at sample: Sample) -> (packetsPerSecond: Double, cpu: Double) {
        defer { previous = sample }
        guard let previous, sample.nanoseconds > previous.nanoseconds else { return (0, 0) }
        let seconds = Double(sample.nanoseconds - previous.nanoseconds) / 1e9
        // A counter that went backwards (a restarted media plane) counts as nothing forwarded.
        let packets = sample.forwardedPackets >= previous.forwardedPackets ? sample.forwardedPackets - previous.forwardedPackets : 0
        let cpuSeconds = max(sample.cpuSeconds - previous.cpuSeconds, 0)
        return (Double(packets) / seconds, min(cpuSeconds / seconds / Double(cores), 1))
    }
}
