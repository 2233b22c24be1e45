/// What the relay reads of a media packet's payload to forward it: whether it starts a
/// keyframe (a layer switch waits for one) and, for VP8 and VP9 with temporal layers
/// (RFC 7741 §4.2, RFC 9628 §4.2), where it stands among them.
struct PacketMarks {
    var startsKeyframe: Bool
    /// TID: the temporal layer of the packet's frame; nil when the publisher sends none.
    var temporalLayer: UInt8? = nil
    /// Y (VP8), U (VP9): the frame depends only on lower temporal layers' frames, so
    /// forwarding of its layer can start with it.
    var isLayerSync = false
    /// The packet starts a frame (VP8 S=1 in partition 0, VP9 B=1 on the base spatial layer):
    /// temporal layers are changed only there.
    var startsFrame = false

    /// Audio, and any packet of a codec whose frames the relay does not read: it may start a
    /// stream, and has no temporal layer.
    static let anyStart = PacketMarks(startsKeyframe: true)
}
