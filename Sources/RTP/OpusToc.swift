/// The table-of-contents byte that starts every Opus packet, and the frame count that follows
/// it in code 3 packets (RFC 6716 §3.1, §3.2.5).
///
/// A relay reads it to know how much audio a packet carries without decoding it. Frame
/// lengths are not checked here: only a decoder needs them.
///
///      0 1 2 3 4 5 6 7
///     +-+-+-+-+-+-+-+-+
///     | config  |s| c |
///     +-+-+-+-+-+-+-+-+
///
/// With c=3, a frame count byte follows:
///
///      0 1 2 3 4 5 6 7
///     +-+-+-+-+-+-+-+-+
///     |v|p|     M     |
///     +-+-+-+-+-+-+-+-+
public struct OpusToc: Equatable, Sendable {
    /// The coding mode a configuration selects.
    public enum Mode: Equatable, Sendable {
        case silk
        case hybrid
        case celt
    }

    /// The audio bandwidth a configuration selects (RFC 6716 §2, Table 1).
    public enum Bandwidth: Equatable, Sendable {
        /// 4 kHz, sampled at 8 kHz.
        case narrowband
        /// 6 kHz, sampled at 12 kHz.
        case mediumband
        /// 8 kHz, sampled at 16 kHz.
        case wideband
        /// 12 kHz, sampled at 24 kHz.
        case superWideband
        /// 20 kHz, sampled at 48 kHz.
        case fullband
    }

    /// The RTP clock rate of Opus whatever the bandwidth (RFC 7587 §4.1); durations here are in
    /// samples at this rate, the unit of the RTP timestamp.
    public static let clockRate = 48_000
    /// RFC 6716 §3.4, R5: a packet carries at most 120 ms of audio.
    public static let maximumPacketSamples = 5_760

    /// config: the mode, bandwidth and frame duration, 0...31.
    public var configuration: UInt8
    /// s: the frames are coded in stereo.
    public var isStereo: Bool
    /// c: 0 for one frame, 1 for two frames of equal size, 2 for two frames of different sizes,
    /// 3 for a count given in the next byte.
    public var frameCountCode: UInt8
    /// The number of frames in the packet.
    public var frameCount: Int

    public init(configuration: UInt8, isStereo: Bool, frameCountCode: UInt8, frameCount: Int) {
        self.configuration = configuration
        self.isStereo = isStereo
        self.frameCountCode = frameCountCode
        self.frameCount = frameCount
    }

    /// RFC 6716 §3.1, Table 2: configurations 0...11 are SILK, 12...15 hybrid, 16...31 CELT.
    public var mode: Mode {
        switch configuration {
        case 0...11: .silk
        case 12...15: .hybrid
        default: .celt
        }
    }

    /// RFC 6716 §3.1, Table 2.
    public var bandwidth: Bandwidth {
        switch configuration {
        case 0...3: .narrowband
        case 4...7: .mediumband
        case 8...11: .wideband
        case 12...13: .superWideband
        case 14...15: .fullband
        case 16...19: .narrowband
        case 20...23: .wideband
        case 24...27: .superWideband
        default: .fullband
        }
    }

    /// The duration of one frame in 48 kHz samples (RFC 6716 §3.1, Table 2): SILK frames last
    /// 10, 20, 40 or 60 ms, hybrid 10 or 20 ms, CELT 2.5, 5, 10 or 20 ms.
    public var samplesPerFrame: Int {
        let index = Int(configuration & 0x03)
        switch mode {
        case .silk: return index == 3 ? 2_880 : 480 << index
        case .hybrid: return 480 << (index & 0x01)
        case .celt: return 120 << index
        }
    }

    /// The duration of the whole packet in 48 kHz samples.
    public var totalSamples: Int { samplesPerFrame * frameCount }

    /// Parses the TOC byte and, for code 3, the frame count byte, and checks that the packet
    /// holds at least one frame and no more than 120 ms.
    public static func parse(_ packet: UnsafeRawBufferPointer) throws(OpusParseError) -> OpusToc {
        guard packet.count >= 1 else { throw .emptyPacket }
        let toc = packet[0]
        let code = toc & 0x03
        var frameCount: Int
        switch code {
        case 0: frameCount = 1
        case 1, 2: frameCount = 2
        default:
            guard packet.count >= 2 else { throw .missingFrameCountByte }
            frameCount = Int(packet[1] & 0x3F)
            guard frameCount > 0 else { throw .zeroFrameCount }
        }
        let parsed = OpusToc(
            configuration: toc >> 3, isStereo: toc & 0x04 != 0, frameCountCode: code,
            frameCount: frameCount)
        let samples = parsed.totalSamples
        guard samples <= maximumPacketSamples else { throw .durationTooLong(samples: samples) }
        return parsed
    }

    /// Parses the TOC of an Opus packet held in an array.
    public static func parse(_ packet: [UInt8]) throws(OpusParseError) -> OpusToc {
        let result: Result<OpusToc, OpusParseError> = packet.withUnsafeBytes { raw in
            do throws(OpusParseError) { return .success(try parse(raw)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
