import CVPX

import RTP

/// libvpx's VP8 and VP9 encoders and decoders for tests that check what a decoder makes of a
/// forwarded stream.
final class VpxTestEncoder {
    struct Failure: Error {}

    private var codec = vpx_codec_ctx_t()
    private let image: UnsafeMutablePointer<vpx_image_t>
    private var frameIndex = 0
    let width: Int
    let height: Int

    init(format: PictureRenumbering.Format = .vp8, width: Int, height: Int) throws {
        self.width = width
        self.height = height
        var config = vpx_codec_enc_cfg_t()
        let interface = format == .vp8 ? vpx_codec_vp8_cx() : vpx_codec_vp9_cx()
        guard vpx_codec_enc_config_default(interface, &config, 0) == VPX_CODEC_OK else { throw Failure() }
        config.g_w = UInt32(width)
        config.g_h = UInt32(height)
        config.g_timebase = vpx_rational(num: 1, den: 30)
        config.rc_target_bitrate = 200
        config.g_lag_in_frames = 0
        config.kf_mode = VPX_KF_DISABLED
        // As libwebrtc encodes VP9 with temporal layers: no frame context carried from one frame
        // to the next, so a decoder that never gets the upper layers decodes the rest.
        if format == .vp9 { config.g_error_resilient = vpx_codec_er_flags_t(VPX_ERROR_RESILIENT_DEFAULT) }
        let initialized = format == .vp8 ? relay_vpx_enc_init(&codec, &config) : relay_vpx_vp9_enc_init(&codec, &config)
        guard initialized == VPX_CODEC_OK,
            let image = vpx_img_alloc(nil, VPX_IMG_FMT_I420, UInt32(width), UInt32(height), 16)
        else { throw Failure() }
        self.image = image
    }

    deinit {
        vpx_img_free(image)
        vpx_codec_destroy(&codec)
    }

    /// Encoder flags for a frame of temporal layer `layer` in an L1T3 pattern (0, 2, 1, 2):
    /// layer 0 refers to and updates the last frame (the base layer's); layer 1 refers to it
    /// and updates the golden frame; layer 2 refers to both (to the base layer's alone when
    /// `syncs`) and updates nothing. Frames above the base leave the entropy contexts alone,
    /// so a decoder that never gets them decodes the rest.
    static func temporalFlags(layer: Int, syncs: Bool) -> vpx_enc_frame_flags_t {
        let flags: Int32
        switch layer {
        case 0: flags = VP8_EFLAG_NO_REF_GF | VP8_EFLAG_NO_REF_ARF | VP8_EFLAG_NO_UPD_GF | VP8_EFLAG_NO_UPD_ARF
        case 1:
            flags = VP8_EFLAG_NO_REF_GF | VP8_EFLAG_NO_REF_ARF | VP8_EFLAG_NO_UPD_LAST | VP8_EFLAG_NO_UPD_ARF
                | VP8_EFLAG_NO_UPD_ENTROPY
        default:
            flags = (syncs ? VP8_EFLAG_NO_REF_GF : 0) | VP8_EFLAG_NO_REF_ARF | VP8_EFLAG_NO_UPD_LAST | VP8_EFLAG_NO_UPD_GF
                | VP8_EFLAG_NO_UPD_ARF | VP8_EFLAG_NO_UPD_ENTROPY
        }
        return vpx_enc_frame_flags_t(flags)
    }

    /// The next frame of a moving gradient, as a keyframe when asked; `flags` add libvpx's
    /// per-frame reference and update flags.
    func encode(keyframe: Bool, flags extra: vpx_enc_frame_flags_t = 0) throws -> [UInt8] {
        let stride = Int(image.pointee.stride.0)
        if let luma = image.pointee.planes.0 {
            for y in 0..<height {
                for x in 0..<width { luma[y * stride + x] = UInt8(truncatingIfNeeded: x + y + frameIndex * 3) }
            }
        }
        for plane in [image.pointee.planes.1, image.pointee.planes.2] {
            guard let plane else { continue }
            for offset in 0..<(Int(image.pointee.stride.1) * height / 2) { plane[offset] = 128 }
        }
        let flags: vpx_enc_frame_flags_t = keyframe ? vpx_enc_frame_flags_t(VPX_EFLAG_FORCE_KF) : extra
        guard vpx_codec_encode(&codec, image, vpx_codec_pts_t(frameIndex), 1, flags, UInt(VPX_DL_REALTIME)) == VPX_CODEC_OK else {
            throw Failure()
        }
        frameIndex += 1
        var iterator: vpx_codec_iter_t?
        while let packet = vpx_codec_get_cx_data(&codec, &iterator) {
            guard packet.pointee.kind == VPX_CODEC_CX_FRAME_PKT, let buffer = packet.pointee.data.frame.buf else { continue }
            return Array(UnsafeRawBufferPointer(start: buffer, count: packet.pointee.data.frame.sz))
        }
        throw Failure()
    }
}

final class VpxTestDecoder {
    struct Failure: Error {}

    private var codec = vpx_codec_ctx_t()

    init(format: PictureRenumbering.Format = .vp8) throws {
        let initialized = format == .vp8 ? relay_vpx_dec_init(&codec) : relay_vpx_vp9_dec_init(&codec)
        guard initialized == VPX_CODEC_OK else { throw Failure() }
    }

    deinit { vpx_codec_destroy(&codec) }

    /// Decodes one frame and returns its size, or nil when libvpx refuses it.
    func decode(_ frame: [UInt8]) -> (width: Int, height: Int)? {
        let result = frame.withUnsafeBufferPointer { buffer in
            vpx_codec_decode(&codec, buffer.baseAddress, UInt32(buffer.count), nil, 0)
        }
        guard result == VPX_CODEC_OK else { return nil }
        var iterator: vpx_codec_iter_t?
        guard let image = vpx_codec_get_frame(&codec, &iterator) else { return nil }
        return (Int(image.pointee.d_w), Int(image.pointee.d_h))
    }
}
