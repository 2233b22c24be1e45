import Testing
@testable import RTP

@Suite struct RtpStreamRewriterTests {
    typealias Mapping = RtpStreamRewriter.Mapping

    static let millisecond: UInt64 = 1_000_000
    static let publisherA: UInt32 = 0xAAAA_0001
    static let publisherB: UInt32 = 0xBBBB_0002

    /// One video frame a packet, 40 ms apart (3600 ticks at 90 kHz).
    struct Source {
        var ssrc: UInt32
        var sequenceNumber: UInt16
        var timestamp: UInt32
        var now: UInt64

        mutating func next(into rewriter: inout RtpStreamRewriter) -> Mapping? {
            defer {
                sequenceNumber &+= 1
                timestamp &+= 3_600
                now += 40 * RtpStreamRewriterTests.millisecond
            }
            return rewriter.map(sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: ssrc, now: now)
        }
    }

    static func videoRewriter(initialSequenceNumber: UInt16 = 65_533, initialTimestamp: UInt32 = 0xFFFF_F000)
        -> RtpStreamRewriter
    {
        RtpStreamRewriter(
            ssrc: 0x5151_5151, payloadType: 96, clockRate: 90_000,
            initialSequenceNumber: initialSequenceNumber, initialTimestamp: initialTimestamp)
    }

    @Test func sourceSwitchContinuesWithoutGapOrJumpAcrossWrapAround() throws {
        var rewriter = Self.videoRewriter()
        var sourceA = Source(ssrc: Self.publisherA, sequenceNumber: 40_000, timestamp: 1_000, now: 5_000 * Self.millisecond)
        var outputs: [Mapping] = []
        for _ in 0..<5 {
            let mapped = sourceA.next(into: &rewriter)
            outputs.append(try #require(mapped))
        }
        // The first packet takes the initial values; the outgoing numbers wrap past 65535 and 2^32.
        #expect(outputs[0] == Mapping(sequenceNumber: 65_533, timestamp: 0xFFFF_F000))
        #expect(outputs.map(\.sequenceNumber) == [65_533, 65_534, 65_535, 0, 1])
        #expect(outputs.last?.timestamp == UInt32(0xFFFF_F000) &+ 4 * 3_600)
        #expect(rewriter.currentSourceSSRC == Self.publisherA)

        // Publisher B takes over 25 ms after A's last packet, with its own numbering.
        rewriter.switchSource(to: Self.publisherB)
        let lastA = sourceA.now - 40 * Self.millisecond
        var sourceB = Source(ssrc: Self.publisherB, sequenceNumber: 65_534, timestamp: 7_777, now: lastA + 25 * Self.millisecond)
        for _ in 0..<4 {
            let mapped = sourceB.next(into: &rewriter)
            outputs.append(try #require(mapped))
        }
        #expect(rewriter.currentSourceSSRC == Self.publisherB)

        // Sequence numbers advance by exactly one across the switch and B's own wrap-around.
        for (earlier, later) in zip(outputs, outputs.dropFirst()) {
            #expect(later.sequenceNumber == earlier.sequenceNumber &+ 1)
        }
        // The timestamp advances by the elapsed time: 25 ms × 90000 / 1e9 = 2250 ticks.
        #expect(outputs[5].timestamp == outputs[4].timestamp &+ 2_250)
        // Within B, its own spacing is kept.
        for index in 6..<outputs.count {
            #expect(outputs[index].timestamp == outputs[index - 1].timestamp &+ 3_600)
        }
        #expect(rewriter.lastMapping == outputs.last)
    }

    @Test func audioSwitchUsesTheClockRate() throws {
        var rewriter = RtpStreamRewriter(
            ssrc: 9, payloadType: 111, clockRate: 48_000, initialSequenceNumber: 100,
            initialTimestamp: 1_000)
        let first = rewriter.map(sequenceNumber: 1, timestamp: 50, ssrc: 1, now: 0)
        #expect(first == Mapping(sequenceNumber: 100, timestamp: 1_000))
        rewriter.switchSource(to: 2)
        // 123.5 ms at 48 kHz: 5928 ticks.
        let second = rewriter.map(sequenceNumber: 9_000, timestamp: 0, ssrc: 2, now: 123_500_000)
        #expect(second == Mapping(sequenceNumber: 101, timestamp: 1_000 + 5_928))
    }

    @Test func reorderedAndLostPacketsKeepTheirSpacing() throws {
        var rewriter = Self.videoRewriter(initialSequenceNumber: 500, initialTimestamp: 90_000)
        func map(_ sequenceNumber: UInt16, _ timestamp: UInt32) -> Mapping? {
            rewriter.map(sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: Self.publisherA, now: 0)
        }
        #expect(map(10, 1_000) == Mapping(sequenceNumber: 500, timestamp: 90_000))
        #expect(map(12, 4_600) == Mapping(sequenceNumber: 502, timestamp: 93_600))
        // 11 arrives late: it maps between the two.
        #expect(map(11, 1_000) == Mapping(sequenceNumber: 501, timestamp: 90_000))
        // 13 is lost; 14 keeps its distance.
        #expect(map(14, 8_200) == Mapping(sequenceNumber: 504, timestamp: 97_200))
        // A duplicate maps to the same numbers again.
        #expect(map(12, 4_600) == Mapping(sequenceNumber: 502, timestamp: 93_600))
        // The late packets did not move the stream's end.
        #expect(rewriter.lastMapping == Mapping(sequenceNumber: 504, timestamp: 97_200))
    }

    @Test func latePacketMapsAcrossIncomingWrapAround() throws {
        var rewriter = Self.videoRewriter(initialSequenceNumber: 1_000, initialTimestamp: 0)
        func map(_ sequenceNumber: UInt16) -> UInt16? {
            rewriter.map(sequenceNumber: sequenceNumber, timestamp: 0, ssrc: Self.publisherA, now: 0)?.sequenceNumber
        }
        #expect(map(65_534) == 1_000)
        #expect(map(1) == 1_003)
        #expect(map(65_535) == 1_001)
        #expect(map(0) == 1_002)
    }

    @Test func longRunningSourceStillAcceptsLatePackets() throws {
        var rewriter = Self.videoRewriter(initialSequenceNumber: 0, initialTimestamp: 0)
        var source = Source(ssrc: Self.publisherA, sequenceNumber: 100, timestamp: 0, now: 0)
        // More than half the 16-bit space after the first packet, then three full trips.
        for _ in 0..<(3 * 65_536 + 40_000) { _ = source.next(into: &rewriter) }
        let newest = source.sequenceNumber &- 1
        let late = rewriter.map(sequenceNumber: newest &- 5, timestamp: 0, ssrc: Self.publisherA, now: source.now)
        #expect(late?.sequenceNumber == (rewriter.lastMapping?.sequenceNumber ?? 0) &- 5)
    }

    @Test func packetsOutsideTheCurrentSourceAreDropped() {
        var rewriter = Self.videoRewriter(initialSequenceNumber: 10, initialTimestamp: 10)
        func map(_ sequenceNumber: UInt16, from ssrc: UInt32) -> UInt16? {
            rewriter.map(sequenceNumber: sequenceNumber, timestamp: 0, ssrc: ssrc, now: 0)?.sequenceNumber
        }
        #expect(map(7, from: Self.publisherA) == 10)
        #expect(map(8, from: Self.publisherA) == 11)
        // Another SSRC does not take over by itself.
        #expect(map(1, from: Self.publisherB) == nil)

        rewriter.switchSource(to: Self.publisherB)
        #expect(rewriter.currentSourceSSRC == nil)
        // Until B's first packet arrives, A is no longer forwarded.
        #expect(map(9, from: Self.publisherA) == nil)
        #expect(map(1_000, from: Self.publisherB) == 12)
        // A late packet of A after the switch, and one of B sent before the switch point.
        #expect(map(9, from: Self.publisherA) == nil)
        #expect(map(999, from: Self.publisherB) == nil)
        #expect(map(1_001, from: Self.publisherB) == 13)
    }

    @Test func switchToTheSameSourceRestartsItsNumbering() throws {
        var rewriter = Self.videoRewriter(initialSequenceNumber: 300, initialTimestamp: 0)
        _ = rewriter.map(sequenceNumber: 20_000, timestamp: 50_000, ssrc: Self.publisherA, now: 0)
        rewriter.switchSource(to: Self.publisherA)
        // The publisher restarted from 0 at the same instant: one sequence number and one tick on.
        let restarted = rewriter.map(sequenceNumber: 0, timestamp: 0, ssrc: Self.publisherA, now: 0)
        #expect(restarted == Mapping(sequenceNumber: 301, timestamp: 1))
    }

    @Test func rewritesThePacketHeaderInPlace() throws {
        var rewriter = Self.videoRewriter(initialSequenceNumber: 4_321, initialTimestamp: 8_765)
        let packet = RtpPacket(
            marker: true, payloadType: 100, sequenceNumber: 17, timestamp: 99, ssrc: Self.publisherA,
            payload: [0x90, 0x80, 0x00, 0x01])
        var bytes = try packet.bytes()
        let header = try RtpHeader.parse(bytes)
        let forwarded = bytes.withUnsafeMutableBytes { raw in rewriter.rewrite(raw, header: header, now: 0) }
        #expect(forwarded)
        let rewritten = try RtpPacket(parsing: bytes)
        #expect(rewritten == RtpPacket(
            marker: true, payloadType: 96, sequenceNumber: 4_321, timestamp: 8_765, ssrc: 0x5151_5151,
            payload: [0x90, 0x80, 0x00, 0x01]))

        // A packet of another source is left as it was.
        var other = try RtpPacket(
            payloadType: 100, sequenceNumber: 1, timestamp: 1, ssrc: Self.publisherB, payload: [1]
        ).bytes()
        let original = other
        let otherHeader = try RtpHeader.parse(other)
        let dropped = other.withUnsafeMutableBytes { raw in rewriter.rewrite(raw, header: otherHeader, now: 0) }
        #expect(!dropped)
        #expect(other == original)
    }

    @Test func elapsedTimeBecomesTicksWithoutOverflow() {
        #expect(RtpStreamRewriter.ticks(40 * Self.millisecond, clockRate: 90_000) == 3_600)
        #expect(RtpStreamRewriter.ticks(20 * Self.millisecond, clockRate: 48_000) == 960)
        // Rounded to the nearest tick: 10417 ns at 48 kHz is 0.500016 of a tick.
        #expect(RtpStreamRewriter.ticks(10_417, clockRate: 48_000) == 1)
        #expect(RtpStreamRewriter.ticks(10_416, clockRate: 48_000) == 0)
        // 100 hours at 90 kHz is 32.4e9 ticks, which wraps modulo 2^32 as timestamps do.
        let hundredHours: UInt64 = 100 * 3_600 * 1_000_000_000
        #expect(RtpStreamRewriter.ticks(hundredHours, clockRate: 90_000) == UInt32(32_400_000_000 % (1 << 32)))
        // The largest inputs do not overflow.
        _ = RtpStreamRewriter.ticks(UInt64.max, clockRate: UInt32.max)
    }

    @Test func senderReportTimestampAdvancesWithTheClockFromTheLastPacket() {
        var rewriter = Self.videoRewriter(initialSequenceNumber: 10, initialTimestamp: 1_000)
        #expect(rewriter.timestamp(at: 0) == nil, "nothing sent, nothing to report")
        var source = Source(ssrc: Self.publisherA, sequenceNumber: 500, timestamp: 0, now: 1_000 * Self.millisecond)
        let mapped = source.next(into: &rewriter)
        #expect(mapped != nil)
        // 100 ms after the packet that went out with timestamp 1000: 9000 ticks later.
        #expect(rewriter.timestamp(at: 1_100 * Self.millisecond) == 10_000)
    }

    @Test func outgoingSequenceNumbersMapBackToTheSourcesForRepair() {
        var rewriter = Self.videoRewriter(initialSequenceNumber: 65_535, initialTimestamp: 0)
        #expect(rewriter.sourceSequenceNumber(forOutgoing: 1) == nil, "nothing forwarded yet")
        var source = Source(ssrc: Self.publisherA, sequenceNumber: 300, timestamp: 0, now: 0)
        for _ in 0..<3 {
            let mapped = source.next(into: &rewriter)
            #expect(mapped != nil)
        }
        // Outgoing 65535, 0, 1 carried source 300, 301, 302.
        #expect(rewriter.sourceSequenceNumber(forOutgoing: 65_535) == 300)
        #expect(rewriter.sourceSequenceNumber(forOutgoing: 1) == 302)
    }
}

extension RtpStreamRewriterTests {
    @Test func anOutgoingNumberFromBeforeTheCurrentSourceMapsToNothing() {
        var rewriter = Self.videoRewriter(initialSequenceNumber: 1_000, initialTimestamp: 0)
        var first = Source(ssrc: Self.publisherA, sequenceNumber: 10, timestamp: 0, now: 0)
        for _ in 0..<3 { _ = first.next(into: &rewriter) }
        rewriter.switchSource(to: Self.publisherB)
        var second = Source(ssrc: Self.publisherB, sequenceNumber: 50_000, timestamp: 0, now: 0)
        for _ in 0..<2 { _ = second.next(into: &rewriter) }
        // Outgoing 1000-1002 came from A, 1003-1004 from B: only B's can be looked up in B.
        #expect(rewriter.sourceSequenceNumber(forOutgoing: 1_003) == 50_000)
        #expect(rewriter.sourceSequenceNumber(forOutgoing: 1_004) == 50_001)
        #expect(rewriter.sourceSequenceNumber(forOutgoing: 1_002) == nil)
    }

    /// A temporal layer left out: every other packet of a source across the 16-bit wrap.
    @Test func skippedPacketsLeaveNoGapAndRetransmissionsKeepTheirNumbers() throws {
        var rewriter = Self.videoRewriter(initialSequenceNumber: 100)
        var sent: [UInt16: UInt16] = [:]
        for sequenceNumber in (0..<12).map({ UInt16(65_530) &+ UInt16($0) }) {
            if sequenceNumber % 2 == 1 {
                rewriter.skip(sequenceNumber: sequenceNumber, ssrc: Self.publisherA)
                continue
            }
            let mapped = rewriter.map(sequenceNumber: sequenceNumber, timestamp: 0, ssrc: Self.publisherA, now: 0)
            sent[sequenceNumber] = try #require(mapped).sequenceNumber
        }
        #expect(sent.values.sorted() == Array(100..<106), "six packets forwarded, numbered without a gap")
        // Late copies: one forwarded keeps its number, one skipped stays out.
        let late = rewriter.map(sequenceNumber: 65_532, timestamp: 0, ssrc: Self.publisherA, now: 0)
        #expect(late?.sequenceNumber == sent[65_532])
        let skippedCopy = rewriter.map(sequenceNumber: 65_533, timestamp: 0, ssrc: Self.publisherA, now: 0)
        #expect(skippedCopy == nil)
        // A NACK for an outgoing number finds the source's packet.
        for (source, outgoing) in sent {
            #expect(rewriter.sourceSequenceNumber(forOutgoing: outgoing) == source)
        }
        // Skipping an older packet changes nothing: its number is taken already.
        rewriter.skip(sequenceNumber: 65_534, ssrc: Self.publisherA)
        let older = rewriter.map(sequenceNumber: 65_534, timestamp: 0, ssrc: Self.publisherA, now: 0)
        #expect(older?.sequenceNumber == sent[65_534])
    }
}
