/// A lower simulcast layer of a publisher's camera: its own clip (a smaller picture at a lower
/// bitrate), SSRC and numbering, sent at the clip's frame rate beside the top layer, every
/// packet carrying the layer's RID (RFC 8852) as a browser's simulcast does.
struct SimulcastLayer {
    let rid: String
    let clip: VideoClip
    let ssrc = UInt32.random(in: 1...UInt32.max)
    var sequence = UInt16.random(in: 0...UInt16.max)
    var timestamp = UInt32.random(in: 0...UInt32.max)
    var frameIndex = 0
    var nextFrame: UInt64 = 0

    init(rid: String, clip: VideoClip) {
        self.rid = rid
        self.clip = clip
    }
}
