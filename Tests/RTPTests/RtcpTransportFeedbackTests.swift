import Testing
@testable import RTP

@Suite struct RtcpTransportFeedbackTests {
    typealias Status = TransportFeedbackStatus

    /// Packets 100...119: fifteen received 1 ms apart (a run-length chunk), then lost, +100 ms
    /// (large), +0.25 ms, -1 ms (large, negative), +0 in a two-bit vector whose last two symbols
    /// lie past the status count. 45 bytes, padded to 48 with RTCP padding.
    static let vector = hex("""
        AF CD 000B   # V=2 P=1 FMT=15, PT=205, length 11 (48 bytes)
        00000001     # SSRC of packet sender
        12345678     # SSRC of media source
        0064 0014    # base sequence number 100, packet status count 20
        000010 03    # reference time 16 (1.024 s), feedback packet count 3
        200F         # run length: 15 x received small delta
        C990         # two-bit vector: not received, large, small, large, small, (not received x2)
        04 04 04 04 04 04 04 04 04 04 04 04 04 04 04   # 15 small deltas of 4 ticks (1 ms)
        0190         # large delta 400 ticks (100 ms)
        01           # small delta 1 tick
        FFFC         # large delta -4 ticks
        00           # small delta 0
        00 00 03     # padding, 3 bytes
        """)

    static let vectorStatuses: [Status] =
        Array(repeating: .receivedSmallDelta(4), count: 15)
        + [.notReceived, .receivedLargeDelta(400), .receivedSmallDelta(1), .receivedLargeDelta(-4),
           .receivedSmallDelta(0)]

    @Test func parsesTheVectorFieldByField() throws {
        let feedback = try expectRebuilds(Self.vector, as: RtcpTransportFeedback.self)
        #expect(feedback.senderSsrc == 1)
        #expect(feedback.mediaSsrc == 0x1234_5678)
        #expect(feedback.baseSequenceNumber == 100)
        #expect(feedback.referenceTime == 16)
        #expect(feedback.feedbackPacketCount == 3)
        #expect(feedback.statuses == Self.vectorStatuses)
        #expect(feedback.chunks.map(\.raw) == [0x200F, 0xC990])
    }

    @Test func computesArrivalTimes() throws {
        let feedback = try RtcpTransportFeedback.parse(Self.vector)
        let received = feedback.receivedPackets
        #expect(received.count == 19)
        #expect(received.first == .init(sequenceNumber: 100, arrivalTime: 1_025_000))
        #expect(received[14] == .init(sequenceNumber: 114, arrivalTime: 1_039_000))
        #expect(Array(received.suffix(4)) == [
            .init(sequenceNumber: 116, arrivalTime: 1_139_000),
            .init(sequenceNumber: 117, arrivalTime: 1_139_250),
            .init(sequenceNumber: 118, arrivalTime: 1_138_250),
            .init(sequenceNumber: 119, arrivalTime: 1_138_250),
        ])
    }

    /// A one-bit vector, sequence numbers that wrap, and a negative reference time.
    @Test func parsesAOneBitVectorAcrossTheWrap() throws {
        let bytes = hex("""
            AF CD 0007   # V=2 P=1 FMT=15, PT=205, length 7 (32 bytes)
            00000001 12345678
            FFFE 000A    # base sequence number 65534, 10 statuses
            FFFFFF 00    # reference time -1 (-64 ms), feedback packet count 0
            B4F0         # one-bit vector 11010011110000: R R N R N N R R R R (N N N N)
            0A 0B 0C 0D 0E 0F 10   # seven small deltas
            00 00 03     # padding
            """)
        let feedback = try expectRebuilds(bytes, as: RtcpTransportFeedback.self)
        #expect(feedback.baseSequenceNumber == 65534)
        #expect(feedback.referenceTime == -1)
        #expect(feedback.statuses == [
            .receivedSmallDelta(10), .receivedSmallDelta(11), .notReceived, .receivedSmallDelta(12),
            .notReceived, .notReceived, .receivedSmallDelta(13), .receivedSmallDelta(14),
            .receivedSmallDelta(15), .receivedSmallDelta(16),
        ])
        #expect(feedback.receivedPackets.map(\.sequenceNumber) == [65534, 65535, 1, 4, 5, 6, 7])
        #expect(feedback.receivedPackets.first?.arrivalTime == -64_000 + 2_500)
    }

    /// The parser accepts any valid layout; this one uses a two-bit vector where the builder
    /// would use a run, so only the parse result is compared, and the rebuilt packet differs in
    /// that chunk alone.
    @Test func acceptsAnyChunkLayout() throws {
        let bytes = hex("""
            AF CD 0006   # V=2 P=1 FMT=15, PT=205, length 6 (28 bytes)
            00000001 12345678
            0001 0003    # base 1, 3 statuses
            000000 00
            D500         # two-bit vector: small, small, small, (not received x4)
            01 02 03     # deltas
            00 00 03     # padding
            """)
        let feedback = try RtcpTransportFeedback.parse(bytes)
        #expect(feedback.statuses == [.receivedSmallDelta(1), .receivedSmallDelta(2), .receivedSmallDelta(3)])
        var rebuilt = bytes
        rebuilt[20] = 0x20
        rebuilt[21] = 0x03  // run length: 3 x received small delta
        #expect(try feedback.bytes() == rebuilt)
    }

    @Test func acceptsRunsSplitAcrossChunksAndZeroLengthRuns() throws {
        let bytes = hex("""
            8F CD 0008   # no RTCP padding: zero bytes at the end instead; 36 bytes
            00000001 12345678
            0001 0004
            000000 00
            2002 0000    # run of 2 small, an empty run
            2001 4001    # run of 1 small, run of 1 large
            01 02 03 0100  # deltas
            00 00 00     # zero padding
            """)
        let feedback = try RtcpTransportFeedback.parse(bytes)
        #expect(feedback.statuses == [
            .receivedSmallDelta(1), .receivedSmallDelta(2), .receivedSmallDelta(3), .receivedLargeDelta(256),
        ])
    }

    @Test func aFinalRunLongerThanTheCountIsCutShort() throws {
        let bytes = hex("8F CD 0005  00000001 12345678  0001 0002  000000 00  2064 0102")
        let feedback = try RtcpTransportFeedback.parse(bytes)
        #expect(feedback.statuses == [.receivedSmallDelta(1), .receivedSmallDelta(2)])
    }

    /// The status count is 16 bits the sender chose. Nothing is allocated for it until the
    /// chunks are known to describe that many statuses and the packet holds all their deltas,
    /// so a tiny packet claiming 65,535 is turned away without reserving room for them.
    @Test func aHugeStatusCountNeedsChunksAndDeltasToBackIt() throws {
        #expect(throws: RtcpParseError.transportFeedbackChunksTooShort(described: 0, statusCount: 0xFFFF)) {
            try RtcpTransportFeedback.parse(hex("8F CD 0004 00000001 12345678 0000 FFFF 000000 00"))
        }
        // One full run of received packets, an empty run, and the packet ends.
        #expect(throws: RtcpParseError.transportFeedbackChunksTooShort(described: 8191, statusCount: 0xFFFF)) {
            try RtcpTransportFeedback.parse(hex("8F CD 0005 00000001 12345678 0000 FFFF 000000 00 3FFF 0000"))
        }
        // Nine runs describe 65,535 received packets, but not one delta follows.
        let runs = String(repeating: "3FFF ", count: 8) + "2007"
        #expect(throws: RtcpParseError.transportFeedbackDeltasTruncated(index: 0)) {
            try RtcpTransportFeedback.parse(hex("AF CD 0009 00000001 12345678 0000 FFFF 000000 00 \(runs) 0002"))
        }
        // The same runs of lost packets are what the draft allows: the most 40 bytes can describe.
        let lost = String(repeating: "1FFF ", count: 8) + "0007"
        let feedback = try RtcpTransportFeedback.parse(
            hex("AF CD 0009 00000001 12345678 0000 FFFF 000000 00 \(lost) 0002"))
        #expect(feedback.statuses.count == 0xFFFF)
        #expect(feedback.receivedPackets.isEmpty)
    }

    @Test func aLargeDeltaMayHoldASmallValue() throws {
        // Senders should use the small form for 0...255, but the large one is valid and kept.
        let feedback = RtcpTransportFeedback(
            senderSsrc: 1, mediaSsrc: 2, baseSequenceNumber: 3, referenceTime: 4,
            feedbackPacketCount: 5, statuses: [.receivedLargeDelta(5), .receivedSmallDelta(5)])
        try expectRoundTrip(feedback)
    }

    @Test func roundTrips() throws {
        var generator = MutationGenerator(seed: 42)
        for round in 0..<200 {
            let count = Int.random(in: 0...300, using: &generator)
            let statuses: [Status] = (0..<count).map { _ in
                switch UInt8.random(in: 0...9, using: &generator) {
                case 0...2: .notReceived
                case 3...7: .receivedSmallDelta(.random(in: 0...255, using: &generator))
                default: .receivedLargeDelta(.random(in: .min ... .max, using: &generator))
                }
            }
            let feedback = RtcpTransportFeedback(
                senderSsrc: UInt32(round), mediaSsrc: 7, baseSequenceNumber: .random(in: 0...0xFFFF, using: &generator),
                referenceTime: .random(in: RtcpTransportFeedback.referenceTimeRange, using: &generator),
                feedbackPacketCount: UInt8(truncatingIfNeeded: round), statuses: statuses)
            try expectRoundTrip(feedback)
        }
    }

    @Test func roundTripsLongRuns() throws {
        let statuses: [Status] = [.receivedSmallDelta(1)] + Array(repeating: .notReceived, count: 20_000)
            + [.receivedLargeDelta(-300)] + Array(repeating: .receivedSmallDelta(2), count: 9000)
        let feedback = RtcpTransportFeedback(
            senderSsrc: 1, mediaSsrc: 2, baseSequenceNumber: 65000, referenceTime: 0x7F_FFFF,
            feedbackPacketCount: 255, statuses: statuses)
        let bytes = try expectRoundTrip(feedback)
        #expect(bytes.count < 20 + 2 * 20 + 2 + 9000 + 8)
    }

    @Test func writesRtcpPaddingOnlyWhenNeeded() throws {
        // 20 bytes of fixed fields, a chunk, two small deltas: 24 bytes, no padding.
        let aligned = RtcpTransportFeedback(
            senderSsrc: 1, mediaSsrc: 2, baseSequenceNumber: 0, referenceTime: 0,
            feedbackPacketCount: 0, statuses: [.receivedSmallDelta(1), .receivedSmallDelta(1)])
        #expect(try aligned.bytes() == hex("8F CD 0005 00000001 00000002 0000 0002 000000 00 2002 0101"))
        // One delta more: 25 bytes, padded to 28 with the P bit set and the count last.
        var padded = aligned
        padded.statuses.append(.receivedSmallDelta(1))
        #expect(try padded.bytes() == hex("AF CD 0006 00000001 00000002 0000 0003 000000 00 2003 010101 000003"))
    }

    @Test func anEmptyFeedbackHasNoChunks() throws {
        let feedback = RtcpTransportFeedback(
            senderSsrc: 1, mediaSsrc: 2, baseSequenceNumber: 9, referenceTime: -5,
            feedbackPacketCount: 1, statuses: [])
        let bytes = try expectRoundTrip(feedback)
        #expect(bytes == hex("8F CD 0004 00000001 00000002 0009 0000 FFFFFB 01"))
    }

    // Captured from Chromium 156 (Fixtures/chrome-rtcp-twcc-*.md). The builder picks the chunk
    // layout libwebrtc picks, so all three rebuild byte for byte, padding included.

    @Test func chromeRunLength() throws {
        let bytes = try Fixture.bytes("chrome-rtcp-twcc-runlength")
        let feedback = try expectRebuilds(bytes, as: RtcpTransportFeedback.self)
        #expect(feedback.senderSsrc == 0x6074_84F7)
        #expect(feedback.mediaSsrc == 0x637A_1A7D)
        #expect(feedback.baseSequenceNumber == 480)
        #expect(feedback.referenceTime == 26012)
        #expect(feedback.feedbackPacketCount == 107)
        #expect(feedback.statuses == [117, 10, 79, 81, 59, 21, 81, 37, 33, 9].map { .receivedSmallDelta($0) })
        #expect(feedback.chunks == [.runLength(.receivedSmallDelta, count: 10)])
        #expect(bytes[0] & 0x20 == 0)  // 32 bytes: no padding needed
    }

    @Test func chromeTwoBitStatusVector() throws {
        let bytes = try Fixture.bytes("chrome-rtcp-twcc-statusvector")
        let feedback = try expectRebuilds(bytes, as: RtcpTransportFeedback.self)
        #expect(feedback.senderSsrc == 0x6074_84F7)
        #expect(feedback.mediaSsrc == 0x637A_1A7D)
        #expect(feedback.baseSequenceNumber == 1051)
        #expect(feedback.referenceTime == 26119)
        #expect(feedback.feedbackPacketCount == 170)
        #expect(feedback.statuses == [.receivedLargeDelta(256)] + [73, 0, 8, 81, 78, 80, 81].map { .receivedSmallDelta($0) })
        #expect(feedback.chunks.map(\.raw) == [0xE555, 0x2001])
        #expect(bytes[0] & 0x20 != 0 && bytes.last == 3)  // 33 bytes padded to 36
    }

    @Test func chromeOneBitStatusVectorWithALoss() throws {
        let bytes = try Fixture.bytes("chrome-rtcp-twcc-statusvector-1bit")
        let feedback = try expectRebuilds(bytes, as: RtcpTransportFeedback.self)
        #expect(feedback.senderSsrc == 0x282A_285D)
        #expect(feedback.mediaSsrc == 0xBF4F_D3BB)
        #expect(feedback.baseSequenceNumber == 587)
        #expect(feedback.referenceTime == 23140)
        #expect(feedback.feedbackPacketCount == 114)
        #expect(feedback.statuses == [
            .receivedSmallDelta(98), .notReceived, .receivedSmallDelta(54), .receivedSmallDelta(80),
            .receivedSmallDelta(80), .receivedSmallDelta(79), .receivedSmallDelta(81), .receivedSmallDelta(29),
            .receivedSmallDelta(0), .receivedSmallDelta(2),
        ])
        #expect(feedback.receivedPackets.map(\.sequenceNumber) == [587] + Array(589...596))
        #expect(feedback.chunks.map(\.raw) == [0xAFF0])
        #expect(bytes[0] & 0x20 != 0 && bytes.last == 1)  // 31 bytes padded to 32
    }
}
