import Testing
@testable import RTP

@Suite struct OpusTocTests {
    @Test func parsesChromeOpusPacket() throws {
        let packet = try Fixture.bytes("chrome-rtp-opus")
        let header = try RtpHeader.parse(packet)
        let payload = Array(packet[header.payloadRange])
        #expect(payload.first == 0x78)
        let toc = try OpusToc.parse(payload)
        #expect(toc == OpusToc(configuration: 15, isStereo: false, frameCountCode: 0, frameCount: 1))
        #expect(toc.mode == .hybrid)
        #expect(toc.bandwidth == .fullband)
        #expect(toc.samplesPerFrame == 960)  // 20 ms
        #expect(toc.totalSamples == 960)
    }

    /// RFC 6716 §3.1, Table 2, one row per configuration: mode, bandwidth, frame size in ms × 10.
    static let configurations: [(OpusToc.Mode, OpusToc.Bandwidth, Int)] = [
        (.silk, .narrowband, 100), (.silk, .narrowband, 200), (.silk, .narrowband, 400),
        (.silk, .narrowband, 600),
        (.silk, .mediumband, 100), (.silk, .mediumband, 200), (.silk, .mediumband, 400),
        (.silk, .mediumband, 600),
        (.silk, .wideband, 100), (.silk, .wideband, 200), (.silk, .wideband, 400),
        (.silk, .wideband, 600),
        (.hybrid, .superWideband, 100), (.hybrid, .superWideband, 200),
        (.hybrid, .fullband, 100), (.hybrid, .fullband, 200),
        (.celt, .narrowband, 25), (.celt, .narrowband, 50), (.celt, .narrowband, 100),
        (.celt, .narrowband, 200),
        (.celt, .wideband, 25), (.celt, .wideband, 50), (.celt, .wideband, 100),
        (.celt, .wideband, 200),
        (.celt, .superWideband, 25), (.celt, .superWideband, 50), (.celt, .superWideband, 100),
        (.celt, .superWideband, 200),
        (.celt, .fullband, 25), (.celt, .fullband, 50), (.celt, .fullband, 100),
        (.celt, .fullband, 200),
    ]

    @Test(arguments: 0..<32)
    func everyConfigurationMatchesTheTable(configuration: Int) throws {
        let (mode, bandwidth, tenthsOfMilliseconds) = Self.configurations[configuration]
        let toc = try OpusToc.parse([UInt8(configuration) << 3])
        #expect(toc.configuration == UInt8(configuration))
        #expect(toc.mode == mode)
        #expect(toc.bandwidth == bandwidth)
        // 48 samples a millisecond.
        #expect(toc.samplesPerFrame * 10 == tenthsOfMilliseconds * 48)
        #expect(toc.frameCount == 1)
    }

    @Test func stereoFlagAndFrameCountCodes() throws {
        // Config 31 (CELT fullband 20 ms), s=1, c=0.
        let stereo = try OpusToc.parse([0xFC])
        #expect(stereo.isStereo)
        #expect(stereo.configuration == 31)
        #expect(stereo.frameCount == 1)

        // c=1 and c=2: two frames.
        let equalFrames = try OpusToc.parse([0x79, 0x00, 0x00])
        #expect(equalFrames.frameCountCode == 1)
        #expect(equalFrames.frameCount == 2)
        #expect(equalFrames.totalSamples == 1_920)
        let unequalFrames = try OpusToc.parse([0x7A, 0x01, 0x00])
        #expect(unequalFrames.frameCountCode == 2)
        #expect(unequalFrames.frameCount == 2)

        // c=3 with v=0 p=0, M=3.
        let three = try OpusToc.parse([0x7B, 0x03])
        #expect(three.frameCountCode == 3)
        #expect(three.frameCount == 3)
        #expect(three.totalSamples == 2_880)
        // The v and p flags do not change the count.
        #expect(try OpusToc.parse([0x7B, 0xC3, 0x00]).frameCount == 3)
    }

    @Test func acceptsExactlyOneHundredTwentyMilliseconds() throws {
        // 48 CELT frames of 2.5 ms.
        #expect(try OpusToc.parse([0x83, 48]).totalSamples == 5_760)
        // Two SILK frames of 60 ms, as code 1 and as code 3.
        #expect(try OpusToc.parse([0x19]).totalSamples == 5_760)
        #expect(try OpusToc.parse([0x1B, 0x02]).totalSamples == 5_760)
    }

    static let malformed: [(String, [UInt8], OpusParseError)] = [
        ("empty", [], .emptyPacket),
        ("code 3 without the count byte", [0x7B], .missingFrameCountByte),
        ("code 3 with zero frames", [0x7B, 0x00], .zeroFrameCount),
        ("code 3 with flags but zero frames", [0x7B, 0xC0], .zeroFrameCount),
        ("49 frames of 2.5 ms", [0x83, 49], .durationTooLong(samples: 5_880)),
        ("3 frames of 60 ms", [0x1B, 0x03], .durationTooLong(samples: 8_640)),
        ("63 frames of 20 ms", [0x7B, 0x3F], .durationTooLong(samples: 60_480)),
    ]

    @Test(arguments: malformed.indices)
    func malformedPacketsGiveTheirOwnError(index: Int) {
        let (name, bytes, expected) = Self.malformed[index]
        #expect(throws: expected, "\(name)") { try OpusToc.parse(bytes) }
    }

    @Test func everyOneAndTwoBytePacketParsesOrFailsCleanly() {
        // The TOC and the frame count byte are the only bytes read: try them all.
        var accepted = 0
        for first in 0...255 {
            for second in [nil] + (0...255).map(Optional.some) {
                let bytes = [UInt8(first)] + (second.map { [UInt8($0)] } ?? [])
                do {
                    let toc = try OpusToc.parse(bytes)
                    accepted += 1
                    #expect(toc.frameCount >= 1)
                    #expect(toc.totalSamples <= OpusToc.maximumPacketSamples)
                } catch {
                    #expect(bytes[0] & 0x03 == 3, "only code 3 packets can be refused")
                }
            }
        }
        #expect(accepted > 50_000)
    }
}
