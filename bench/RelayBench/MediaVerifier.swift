import RTP
internal import COpus
internal import CVPX

/// Proves the media arrived intact: decodes every received Opus frame with libopus and
/// reassembles and decodes every VP8 frame with libvpx (RFC 7741 §4), counting what decoded and
/// what libvpx or libopus refused. Video decoding starts at the first keyframe and, after a lost
/// packet, waits for the next one, as a receiver does. Given the publishers' frames, it also
/// checks each decoded frame byte for byte against the frame its publisher sent under the
/// number in the padding (`SendTimePadding`), the publisher being the one whose frame the
/// stream's first keyframe was.
final class MediaVerifier {
    struct Counts: Codable {
        var videoFramesDecoded: UInt64 = 0
        var videoDecodeErrors: UInt64 = 0
        /// Decoded frames identical to what the stream's publisher sent under their number, and
        /// those that were not (another's, another number's, or altered).
        var videoFramesMatching: UInt64 = 0
        var videoFramesNotMatching: UInt64 = 0
        /// Frames the publishers sent from each stream's first keyframe on: what a perfect SFU
        /// would have delivered (filled in by the run, which knows what was sent).
        var videoFramesExpected: UInt64 = 0
        var audioFramesDecoded: UInt64 = 0
        var audioDecodeErrors: UInt64 = 0
    }

    private(set) var counts = Counts()
    private let sources: SourceFrames?
    /// The publisher (ordinal) of this stream and its first decoded frame's number, once known.
    private(set) var publisher: Int?
    private(set) var firstFrame: UInt32?
    private var video = vpx_codec_ctx_t()
    private let audio: OpaquePointer?
    private var frame: [UInt8] = []
    private var assembling = false
    private var waitingForKeyframe = true
    private var nextSequence: UInt16?
    private var pcm = [Int16](repeating: 0, count: 5760)

    init(sources: SourceFrames? = nil) {
        self.sources = sources
        _ = relay_vpx_dec_init(&video)
        var error: Int32 = 0
        audio = opus_decoder_create(48000, 1, &error)
    }

    deinit {
        vpx_codec_destroy(&video)
        if let audio { opus_decoder_destroy(audio) }
    }

    func handle(_ packet: UnsafeRawBufferPointer, header: RtpHeader) {
        let payload = UnsafeRawBufferPointer(rebasing: packet[header.payloadRange])
        if header.payloadType == BenchSdp.opusPayloadType {
            decodeAudio(payload)
        } else {
            assembleVideo(payload, header: header, frameNumber: SendTimePadding.frameNumber(packet, header: header))
        }
    }

    private func decodeAudio(_ payload: UnsafeRawBufferPointer) {
        guard let audio, let base = payload.baseAddress, !payload.isEmpty else { return }
        let samples = opus_decode(audio, base.assumingMemoryBound(to: UInt8.self), Int32(payload.count), &pcm, Int32(pcm.count / 1), 0)
        if samples > 0 { counts.audioFramesDecoded += 1 } else { counts.audioDecodeErrors += 1 }
    }

    private func assembleVideo(_ payload: UnsafeRawBufferPointer, header: RtpHeader, frameNumber: UInt32?) {
        guard let descriptor = try? Vp8PayloadDescriptor.parse(payload) else {
            counts.videoDecodeErrors += 1
            return
        }
        if let expected = nextSequence, header.sequenceNumber != expected {
            // A packet is missing: this frame and those that refer to it cannot be decoded.
            assembling = false
            waitingForKeyframe = true
        }
        nextSequence = header.sequenceNumber &+ 1
        let data = UnsafeRawBufferPointer(rebasing: payload[descriptor.payloadOffset...])
        if descriptor.isStartOfPartition, descriptor.partitionIndex == 0 {
            frame.removeAll(keepingCapacity: true)
            assembling = true
        }
        guard assembling else { return }
        frame.append(contentsOf: data)
        guard header.marker else { return }
        assembling = false
        // RFC 6386 §9.1: the frame tag's lowest bit is 0 on a keyframe.
        let isKeyframe = frame.first.map { $0 & 0x01 == 0 } ?? false
        if waitingForKeyframe && !isKeyframe { return }
        waitingForKeyframe = false
        let status = frame.withUnsafeBufferPointer { vpx_codec_decode(&video, $0.baseAddress, UInt32($0.count), nil, 0) }
        var iterator: vpx_codec_iter_t?
        if status == VPX_CODEC_OK, vpx_codec_get_frame(&video, &iterator) != nil {
            counts.videoFramesDecoded += 1
            if let sources { check(against: sources, frameNumber: frameNumber, isKeyframe: isKeyframe) }
        } else {
            counts.videoDecodeErrors += 1
        }
    }

    /// The decoded frame against the one its publisher sent under `frameNumber`.
    private func check(against sources: SourceFrames, frameNumber: UInt32?, isKeyframe: Bool) {
        let hash = SourceFrames.hash(frame)
        if publisher == nil, isKeyframe, let frameNumber, let sender = sources.publisher(sending: hash, asFrame: frameNumber) {
            publisher = sender
            firstFrame = frameNumber
        }
        if let publisher, let frameNumber, sources.hash(publisher: publisher, frame: frameNumber) == hash {
            counts.videoFramesMatching += 1
        } else {
            counts.videoFramesNotMatching += 1
        }
    }
}
