/// What one scenario measured.
struct LoadResult: Codable {
    var scenario: LoadScenario
    var seconds: Double
    var packetsSent: UInt64
    var packetsForwarded: UInt64
    var forwardedPerSecond: Double
    var megabitsPerSecond: Double
    var relayCpuSeconds: Double
    var relayCpuNsPerForwarded: Double
    var packetsReceived: UInt64
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
