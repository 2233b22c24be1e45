import Testing
@testable import RTP

@Suite struct RtcpCompoundTests {
    @Test func senderReportAndSourceDescription() throws {
        let compound = RtcpCompound(packets: [
            .senderReport(.init(
                ssrc: 0x1122_3344, ntpTimestamp: 0xE5E0_1A2B_8000_0000, rtpTimestamp: 90_000,
                packetCount: 50, octetCount: 50_000,
                reportBlocks: [.init(ssrc: 0x5566_7788, fractionLost: 1, cumulativeLost: 2)])),
            .sourceDescription(.init(chunks: [
                .init(source: 0x1122_3344, items: [.init(type: 1, text: "relay@example")]),
            ])),
        ])
        let bytes = try expectRoundTrip(compound)
        #expect(bytes.count == 52 + 4 + 4 + 16)
        #expect(Array(bytes[52..<54]) == [0x81, 0xCA])
        #expect(try RtcpCompound.parse(bytes).isReducedSize == false)
    }

    @Test func receiverReportAndRemb() throws {
        let compound = RtcpCompound(packets: [
            .receiverReport(.init(ssrc: 1, reportBlocks: [.init(ssrc: 2, extendedHighestSequenceNumber: 70_000)])),
            .receiverEstimatedMaxBitrate(.init(senderSsrc: 1, bitrate: 2_000_000, ssrcs: [2, 3])),
        ])
        let bytes = try expectRoundTrip(compound)
        #expect(bytes.count == 32 + 28)
        #expect(try RtcpCompound.parse(bytes).isReducedSize == false)
    }

    @Test func aReducedSizePliAlone() throws {
        let compound = RtcpCompound(packets: [.pictureLossIndication(.init(senderSsrc: 1, mediaSsrc: 2))])
        let bytes = try expectRoundTrip(compound)
        #expect(bytes == hex("81 CE 0002 00000001 00000002"))
        #expect(try RtcpCompound.parse(bytes).isReducedSize)
    }

    @Test func parsesTheVectorsOneAfterAnother() throws {
        let bytes = RtcpSenderReportTests.vector + RtcpSourceDescriptionTests.vector
            + RtcpTransportFeedbackTests.vector + RtcpReceiverEstimatedMaxBitrateTests.vector
            + hex("80 CF 0001 12345678")
        let compound = try RtcpCompound.parse(bytes)
        #expect(compound.packets.count == 5)
        #expect(compound.packets[0] == .senderReport(try RtcpSenderReport.parse(RtcpSenderReportTests.vector)))
        #expect(compound.packets[1] == .sourceDescription(try RtcpSourceDescription.parse(RtcpSourceDescriptionTests.vector)))
        #expect(compound.packets[2] == .transportFeedback(try RtcpTransportFeedback.parse(RtcpTransportFeedbackTests.vector)))
        #expect(compound.packets[3] == .receiverEstimatedMaxBitrate(try RtcpReceiverEstimatedMaxBitrate.parse(RtcpReceiverEstimatedMaxBitrateTests.vector)))
        #expect(compound.packets[4] == .unknown(.init(packetType: 207, countOrFormat: 0, body: [0x12, 0x34, 0x56, 0x78])))
        #expect(try compound.bytes() == bytes)
    }

    @Test func rejectsBytesAfterTheLastPacket() {
        #expect(throws: RtcpParseError.truncatedHeader(length: 2)) {
            try RtcpCompound.parse(hex("81 CE 0002 00000001 00000002 8000"))
        }
        #expect(throws: RtcpParseError.badVersion(0)) {
            try RtcpCompound.parse(hex("81 CE 0002 00000001 00000002 00000000"))
        }
        #expect(throws: RtcpParseError.truncatedHeader(length: 0)) { try RtcpCompound.parse([]) }
    }

    @Test func anEmptyCompoundIsNoBytes() throws {
        #expect(try RtcpCompound(packets: []).bytes() == [])
    }

    /// Inputs that parse must survive parse → build → parse unchanged whenever they can be
    /// built (a parsed body that padding left unaligned cannot be rebuilt without padding).
    func expectStable(_ bytes: [UInt8]) {
        guard let parsed = try? RtcpCompound.parse(bytes) else { return }
        guard let rebuilt = try? parsed.bytes() else { return }
        #expect(rebuilt.count == parsed.marshalSize)
        #expect((try? RtcpCompound.parse(rebuilt)) == parsed, "\(bytes)")
    }

    @Test func randomBytesNeverTrap() {
        var generator = MutationGenerator(seed: 0x5EED)
        var parsedCount = 0
        for _ in 0..<5000 {
            let length = Int.random(in: 0...96, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Mostly version 2 and an RTCP type with a plausible length, so parsing goes deep.
            if length >= 4, Bool.random(using: &generator) {
                bytes[0] = 0x80 | (bytes[0] & 0x3F)
                bytes[1] = UInt8.random(in: 200...207, using: &generator)
                bytes[2] = 0
                bytes[3] = UInt8(truncatingIfNeeded: Int.random(in: 0...(length / 4), using: &generator))
            }
            if (try? RtcpCompound.parse(bytes)) != nil { parsedCount += 1 }
            expectStable(bytes)
        }
        #expect(parsedCount > 0)
    }

    @Test func mutatedValidPacketsNeverTrap() throws {
        let captured = try [
            "chrome-rtcp-sr-sdes", "chrome-rtcp-sr-sdes-xr", "chrome-rtcp-rr-xr", "chrome-rtcp-rr-xr-dlrr",
            "chrome-rtcp-remb", "chrome-rtcp-nack", "chrome-rtcp-pli", "chrome-rtcp-twcc-runlength",
            "chrome-rtcp-twcc-statusvector", "chrome-rtcp-twcc-statusvector-1bit",
        ].map { try Fixture.bytes($0) }
        let seeds = captured + [
            RtcpSenderReportTests.vector + RtcpSourceDescriptionTests.vector,
            RtcpReceiverReportTests.vector + RtcpReceiverEstimatedMaxBitrateTests.vector,
            RtcpTransportFeedbackTests.vector,
            hex("81 CD 0003 00000001 12345678 0064 0005"),
            hex("84 CE 0004 00000001 00000000 12345678 07 000000"),
            hex("82 CB 0004 12345678 9ABCDEF0 04 676F6E65 000000"),
            hex("83 CC 0003 12345678 54455354 01020304"),
            hex("81 CE 0002 00000001 12345678"),
        ]
        var generator = MutationGenerator(seed: 0xBAD_5EED)
        for _ in 0..<6000 {
            var bytes = seeds[Int.random(in: 0..<seeds.count, using: &generator)]
            switch Int.random(in: 0...3, using: &generator) {
            case 0:  // flip a few bits
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= 1 << UInt8.random(in: 0...7, using: &generator)
                }
            case 1:  // overwrite a byte
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = .random(in: 0...255, using: &generator)
            case 2:  // truncate
                bytes.removeLast(Int.random(in: 1...bytes.count, using: &generator))
            default:  // extend with random bytes
                bytes += (0..<Int.random(in: 1...8, using: &generator)).map { _ in .random(in: 0...255, using: &generator) }
            }
            expectStable(bytes)
        }
    }

    // Captured from Chromium 156 (see Fixtures/*.md). Chrome puts XR (PT 207) in its compounds;
    // it is kept as an opaque packet, which is what lets these rebuild byte for byte.

    @Test func chromeSenderReportAndSourceDescription() throws {
        let bytes = try Fixture.bytes("chrome-rtcp-sr-sdes")
        let compound = try expectRebuilds(bytes, as: RtcpCompound.self)
        #expect(bytes.count == 56)
        #expect(compound.isReducedSize == false)
        #expect(compound.packets == [
            .senderReport(.init(
                ssrc: 0x6074_84F7, ntpTimestamp: 0xEEB3_4C49_35B3_17EF, rtpTimestamp: 537_727_890,
                packetCount: 124, octetCount: 6146)),
            .sourceDescription(.init(chunks: [
                .init(source: 0x6074_84F7, items: [.init(type: 1, text: "F4pvYjp0oQ0J1OGz")]),
            ])),
        ])
    }

    @Test func chromeSenderReportSourceDescriptionAndExtendedReport() throws {
        let bytes = try Fixture.bytes("chrome-rtcp-sr-sdes-xr")
        let compound = try expectRebuilds(bytes, as: RtcpCompound.self)
        #expect(bytes.count == 80)
        #expect(compound.packets.count == 3)
        guard case .senderReport(let report) = compound.packets[0],
              case .sourceDescription(let description) = compound.packets[1]
        else {
            Issue.record("expected SR then SDES, got \(compound.packets)")
            return
        }
        #expect(report.ssrc == 0x5B8D_14A9)
        #expect(report.ntpTimestamp == 0xEEB3_4C47_3B49_CF56)
        #expect(report.rtpTimestamp == 2_187_802_192)
        #expect(report.packetCount == 18)
        #expect(report.octetCount == 10107)
        #expect(report.reportBlocks.isEmpty)
        #expect(description.chunks.first?.source == 0x5B8D_14A9)
        #expect(description.chunks.first?.cname == "PQYeecu+kxi2KsGT")
        // XR with one DLRR block (BT=5), kept opaque.
        #expect(compound.packets[2] == .unknown(.init(
            packetType: 207, countOrFormat: 0,
            body: hex("5B8D14A9 05000003 607484F7 4C47374A 000003E1"))))
    }

    @Test func chromeReceiverReportWithTwoBlocks() throws {
        let bytes = try Fixture.bytes("chrome-rtcp-rr-xr")
        let compound = try expectRebuilds(bytes, as: RtcpCompound.self)
        #expect(bytes.count == 76)
        #expect(compound.isReducedSize == false)
        #expect(compound.packets == [
            .receiverReport(.init(ssrc: 0x6074_84F7, reportBlocks: [
                .init(ssrc: 0x259A_6979, extendedHighestSequenceNumber: 15335, jitter: 9554,
                      lastSenderReport: 0x4C4B_6844, delaySinceLastSenderReport: 33528),
                .init(ssrc: 0x5B8D_14A9, extendedHighestSequenceNumber: 29937, jitter: 0,
                      lastSenderReport: 0x4C4B_6844, delaySinceLastSenderReport: 33528),
            ])),
            .unknown(.init(packetType: 207, countOrFormat: 0, body: hex("607484F7 04000002 EEB34C4B EB4A3400"))),
        ])
    }

    @Test func chromeReceiverReportAndExtendedReportWithDlrr() throws {
        let bytes = try Fixture.bytes("chrome-rtcp-rr-xr-dlrr")
        let compound = try expectRebuilds(bytes, as: RtcpCompound.self)
        #expect(bytes.count == 68)
        #expect(compound.packets == [
            .receiverReport(.init(ssrc: 0x5B8D_14A9, reportBlocks: [
                .init(ssrc: 0x6074_84F7, extendedHighestSequenceNumber: 16040, jitter: 11,
                      lastSenderReport: 0x4C49_35B3, delaySinceLastSenderReport: 376),
            ])),
            .unknown(.init(
                packetType: 207, countOrFormat: 0,
                body: hex("5B8D14A9 04000002 EEB34C49 374B9453 05000003 607484F7 4C492F53 000007D6"))),
        ])
    }

    @Test func chromeReceiverReportRembAndExtendedReport() throws {
        let bytes = try Fixture.bytes("chrome-rtcp-remb")
        let compound = try expectRebuilds(bytes, as: RtcpCompound.self)
        #expect(bytes.count == 104)
        #expect(compound.packets.count == 3)
        #expect(compound.packets[0] == .receiverReport(.init(ssrc: 0x4BF3_0A1E, reportBlocks: [
            .init(ssrc: 0xEEB2_6DE0, extendedHighestSequenceNumber: 12654, jitter: 1524,
                  lastSenderReport: 0x4C92_4B4B, delaySinceLastSenderReport: 0x949E),
            .init(ssrc: 0x140D_544B, cumulativeLost: 6, extendedHighestSequenceNumber: 19797, jitter: 82,
                  lastSenderReport: 0x4C92_4B4B, delaySinceLastSenderReport: 0x949E),
        ])))
        #expect(compound.packets[1] == .receiverEstimatedMaxBitrate(.init(
            senderSsrc: 0x4BF3_0A1E, mediaSsrc: 0, bitrate: 108_376, ssrcs: [0x140D_544B, 0xEEB2_6DE0])))
        #expect(compound.packets[2] == .unknown(.init(
            packetType: 207, countOrFormat: 0, body: hex("4BF30A1E 04000002 EEB34C92 E0039ABF"))))
    }

    @Test func chromeStandaloneFeedbackIsReducedSize() throws {
        for name in ["chrome-rtcp-pli", "chrome-rtcp-nack", "chrome-rtcp-twcc-runlength",
                     "chrome-rtcp-twcc-statusvector", "chrome-rtcp-twcc-statusvector-1bit"] {
            let compound = try expectRebuilds(try Fixture.bytes(name), as: RtcpCompound.self)
            #expect(compound.packets.count == 1, "\(name)")
            #expect(compound.isReducedSize, "\(name)")
        }
    }

    /// One feedback of 65,535 lost packets in 40 bytes is valid on its own, but a compound may
    /// make the receiver expand at most 16,384 statuses, however many feedbacks it holds.
    @Test func boundsTheTransportFeedbackStatusesOfOneDatagram() throws {
        let lost = String(repeating: "1FFF ", count: 8) + "0007"
        let everything = hex("AF CD 0009 00000001 12345678 0000 FFFF 000000 00 \(lost) 0002")
        #expect(throws: RtcpParseError.transportFeedbackTooManyStatuses(inCompound: 0xFFFF, limit: 16_384)) {
            try RtcpCompound.parse(everything)
        }
        // 10,000 each: the first is within the bound, the second is not.
        let tenThousand = hex("8F CD 0005 00000001 12345678 0000 2710 000000 00 1FFF 0711")
        #expect(try RtcpCompound.parse(tenThousand).packets.count == 1)
        #expect(throws: RtcpParseError.transportFeedbackTooManyStatuses(inCompound: 20_000, limit: 16_384)) {
            try RtcpCompound.parse(tenThousand + tenThousand)
        }
    }
}
