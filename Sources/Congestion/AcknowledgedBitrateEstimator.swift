/// The throughput the path delivered: bytes of packets the receiver reported, over a sliding
/// window of their arrival times (draft-ietf-rmcat-gcc-02 §5.5 uses this incoming rate R_hat
/// to set the rate on a decrease and to bound increases).
public struct AcknowledgedBitrateEstimator: Sendable {
    private var window: RateWindow

    /// Nanoseconds: packets that arrived this close together count as one sample. A subscriber
    /// at thousands of packets a second would otherwise keep a sample per packet; the rate over
    /// the window is off by at most this much of the bytes.
    public static let resolution: Int64 = 1_000_000

    /// `window` in nanoseconds.
    public init(window: Int64 = 500_000_000) {
        self.window = RateWindow(window: window, resolution: Self.resolution)
    }

    /// Adds the received packets of one feedback. Probe packets count too: they crossed the
    /// same bottleneck.
    public mutating func update(_ results: [PacketResult]) {
        for result in results {
            guard let arrival = result.arrivalTime else { continue }
            window.add(size: result.size, at: arrival)
        }
    }

    /// Bits per second; nil until enough packets arrived.
    public var bitrate: Int? { window.bitrate }
}
