/// What one scenario measured.
struct LoadResult: Codable {
    var scenario: LoadScenario
    var seconds: Double
    var packetsSent: UInt64
    /// Media packets the subscribers decrypted, each sequence number once: the denominator of
    /// every per-packet figure, for the relay and Janus alike.
    var packetsDelivered: UInt64
    var deliveredPerSecond: Double
    /// Media packets that arrived a second time under the same number (not delivered again).
    var duplicatePackets: UInt64
    var megabitsPerSecond: Double
    /// The SFU's CPU time in the window (every thread, from schedstat) and per delivered packet.
    var sfuCpuSeconds: Double
    var sfuCpuNsPerDelivered: Double
    /// What the relay's own counters said over the window; nil for Janus.
    var relayCounted: RelayCounts?
    /// Who was busy and whose sockets overflowed.
    var machine: MachineUse
    /// The floor at this row's packet-length mix, measured after the window.
    var floor: FloorMeasurement
    var packetsLost: UInt64
    var lossRatio: Double
    var latencyP50Microseconds: UInt64
    var latencyP99Microseconds: UInt64
    var latencyMaxMicroseconds: UInt64
    var relayPeakResidentKilobytes: UInt64
    var decryptFailures: UInt64
    /// Video frames received a second per subscribed video stream (their marker packets).
    var videoFramesPerSecond: Double
    /// What the subscribers decoded, when the scenario verifies.
    var decoded: MediaVerifier.Counts?
    /// Feedback, repairs and estimates in the measured window.
    var congestion: CongestionCounts
    /// The flood sent alongside the call and how the relay counted it, when there was one.
    var flood: FloodResult?
    /// Simulcast: each receive-only subscriber's kilobits a second, by the tile it showed the
    /// publishers in (`SimulcastTiles`).
    var receivedByTile: [String: [Double]]?
}
