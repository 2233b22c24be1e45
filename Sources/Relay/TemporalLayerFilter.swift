/// Which temporal layers of a video one subscription forwards (VP8 or VP9 with `scalabilityMode`
/// L1T2/L1T3): dropping the upper layers halves or quarters the frame rate and the bitrate at
/// once, with no keyframe, so the relay steps down a temporal layer before it switches to a
/// lower spatial layer. Sans-IO: it takes each packet's marks and says whether it goes.
///
/// The layer forwarded goes down at the start of a frame, and up one layer at a time, at a
/// frame of the next layer that depends only on lower layers (Y=1, U=1), or at once at a keyframe:
/// a frame is forwarded only when every frame it refers to was.
struct TemporalLayerFilter {
    /// The highest temporal layer wanted; `UInt8.max` for every layer.
    var target = UInt8.max
    /// The highest temporal layer forwarded now.
    private(set) var current = UInt8.max

    /// Whether a packet with `marks` is forwarded.
    mutating func admits(_ marks: PacketMarks) -> Bool {
        guard let layer = marks.temporalLayer else { return true }
        if marks.startsKeyframe {
            current = target
        } else if marks.startsFrame {
            if target < current {
                current = target
            } else if current < target, layer == current &+ 1, marks.isLayerSync {
                current = layer
            }
        }
        return layer <= current
    }
}
