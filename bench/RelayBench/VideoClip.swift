internal import CVPX

/// VP8 frames encoded once with libvpx from a moving test pattern, then looped by publishers.
struct VideoClip {
    struct Frame {
        var data: [UInt8]
        var isKeyframe: Bool
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let frames: [Frame]
    let frameRate: Int

    /// Bits per second of the whole clip at its frame rate.
    var bitrate: Int {
        guard !frames.isEmpty else { return 0 }
        return frames.reduce(0) { $0 + $1.data.count } * 8 * frameRate / frames.count
    }

    /// Encodes `seconds` of video; a keyframe every second so a late subscriber can start.
    /// Clips of different `pattern` differ in colour and noise in every frame, so a receiver can
    /// tell whose video it got.
    init(width: Int, height: Int, frameRate: Int, kilobitsPerSecond: Int, seconds: Int, pattern: Int = 0) throws {
        var config = vpx_codec_enc_cfg_t()
        guard vpx_codec_enc_config_default(vpx_codec_vp8_cx(), &config, 0) == VPX_CODEC_OK else {
            throw Failure(description: "libvpx has no default VP8 configuration")
        }
        config.g_w = UInt32(width)
        config.g_h = UInt32(height)
        config.g_timebase = vpx_rational(num: 1, den: Int32(frameRate))
        config.rc_target_bitrate = UInt32(kilobitsPerSecond)
        config.rc_end_usage = VPX_CBR
        config.g_lag_in_frames = 0
        config.kf_mode = VPX_KF_AUTO
        config.kf_max_dist = UInt32(frameRate)
        var codec = vpx_codec_ctx_t()
        guard relay_vpx_enc_init(&codec, &config) == VPX_CODEC_OK else {
            throw Failure(description: "libvpx refused the VP8 encoder settings")
        }
        defer { vpx_codec_destroy(&codec) }
        guard let image = vpx_img_alloc(nil, VPX_IMG_FMT_I420, UInt32(width), UInt32(height), 16) else {
            throw Failure(description: "libvpx could not allocate an image")
        }
        defer { vpx_img_free(image) }

        var frames: [Frame] = []
        for index in 0..<(seconds * frameRate) {
            Self.paint(image, frame: index, pattern: pattern)
            let flags: vpx_enc_frame_flags_t = index % frameRate == 0 ? vpx_enc_frame_flags_t(VPX_EFLAG_FORCE_KF) : 0
            guard vpx_codec_encode(&codec, image, vpx_codec_pts_t(index), 1, flags, UInt(VPX_DL_REALTIME)) == VPX_CODEC_OK else {
                throw Failure(description: "libvpx failed to encode frame \(index)")
            }
            var iterator: vpx_codec_iter_t?
            while let packet = vpx_codec_get_cx_data(&codec, &iterator) {
                guard packet.pointee.kind == VPX_CODEC_CX_FRAME_PKT else { continue }
                let frame = packet.pointee.data.frame
                guard let buffer = frame.buf else { continue }
                let bytes = Array(UnsafeRawBufferPointer(start: buffer, count: frame.sz))
                frames.append(Frame(data: bytes, isKeyframe: frame.flags & vpx_codec_frame_flags_t(VPX_FRAME_IS_KEY) != 0))
            }
        }
        guard frames.first?.isKeyframe == true else { throw Failure(description: "the clip does not start with a keyframe") }
        self.frames = frames
        self.frameRate = frameRate
    }

    /// Diagonal bands that move each frame, with coloured noise so the encoder has work.
    private static func paint(_ image: UnsafeMutablePointer<vpx_image_t>, frame: Int, pattern: Int) {
        let width = Int(image.pointee.d_w)
        let height = Int(image.pointee.d_h)
        guard let luma = image.pointee.planes.0, let blue = image.pointee.planes.1, let red = image.pointee.planes.2 else { return }
        let lumaStride = Int(image.pointee.stride.0)
        var noise = UInt32(truncatingIfNeeded: (frame &+ pattern &* 7_919) &* 2_654_435_761)
        for y in 0..<height {
            for x in 0..<width {
                noise = noise &* 1_664_525 &+ 1_013_904_223
                luma[y * lumaStride + x] = UInt8(truncatingIfNeeded: (x + y + frame * 4) & 0xFF) ^ UInt8(truncatingIfNeeded: noise >> 28)
            }
        }
        for y in 0..<(height / 2) {
            for x in 0..<(width / 2) {
                blue[y * Int(image.pointee.stride.1) + x] = UInt8(truncatingIfNeeded: x * 2 + frame + pattern * 67)
                red[y * Int(image.pointee.stride.2) + x] = UInt8(truncatingIfNeeded: y * 2 + frame * 3 + pattern * 41)
            }
        }
    }

    /// The RTP payloads of a frame: the VP8 payload descriptor (RFC 7741 §4.2, S set on the
    /// first) and at most `maximumPayload` bytes of the frame each.
    static func packetize(_ frame: Frame, maximumPayload: Int) -> [[UInt8]] {
        let chunk = maximumPayload - 1
        return stride(from: 0, to: frame.data.count, by: chunk).enumerated().map { index, start in
            [index == 0 ? 0x10 : 0x00] + frame.data[start..<min(start + chunk, frame.data.count)]
        }
    }
}
