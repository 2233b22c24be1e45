import Foundation
internal import COpus

/// One second of 20 ms Opus frames encoded once with libopus from a tone, then looped.
struct AudioClip {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let samplesPerFrame = 960
    let frames: [[UInt8]]

    init(bitsPerSecond: Int32 = 32000) throws {
        var error: Int32 = 0
        guard let encoder = opus_encoder_create(48000, 1, OPUS_APPLICATION_VOIP, &error), error == OPUS_OK else {
            throw Failure(description: "libopus refused the encoder (\(error))")
        }
        defer { opus_encoder_destroy(encoder) }
        _ = relay_opus_set_bitrate(encoder, bitsPerSecond)
        var frames: [[UInt8]] = []
        var output = [UInt8](repeating: 0, count: 1500)
        for index in 0..<50 {
            let pcm = (0..<Self.samplesPerFrame).map { sample -> Int16 in
                let t = Double(index * Self.samplesPerFrame + sample) / 48000
                return Int16(8000 * sin(2 * Double.pi * 440 * t))
            }
            let length = opus_encode(encoder, pcm, Int32(Self.samplesPerFrame), &output, Int32(output.count))
            guard length > 0 else { throw Failure(description: "libopus failed to encode (\(length))") }
            frames.append(Array(output[0..<Int(length)]))
        }
        self.frames = frames
    }
}
