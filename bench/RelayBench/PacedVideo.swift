/// A packet of a frame a publisher has begun, waiting for its pacing (`BenchPublisher`).
struct PacedVideo {
    let payload: [UInt8]
    /// The frame's last packet.
    let marker: Bool
    let timestamp: UInt32
    /// The main clip's frame number, for the padding.
    let frame: UInt32
}
