import Testing
@testable import RTP

/// Milliseconds, in the recorder's nanoseconds.
private func ms(_ value: Double) -> UInt64 { UInt64((value * 1_000_000).rounded()) }

@Suite struct TransportFeedbackRecorderTests {
    typealias Recorder = TransportFeedbackRecorder
    typealias Status = TransportFeedbackStatus

    /// Every packet `pollFeedback(now:)` gives at `now`.
    static func drain(_ recorder: inout Recorder, now: UInt64) -> [RtcpTransportFeedback] {
        var packets: [RtcpTransportFeedback] = []
        while let packet = recorder.pollFeedback(now: now) {
            packets.append(packet)
            if packets.count > 10_000 { break }
        }
        return packets
    }

    /// Feeds `trace` in order, polling at every `nextTimeout` that falls before the next arrival
    /// (as the relay's timer would), then once more at the end. Returns each packet with the
    /// time it was polled.
    static func drive(
        _ recorder: inout Recorder, _ trace: [(sequenceNumber: UInt16, arrival: UInt64)]
    ) -> [(at: UInt64, packet: RtcpTransportFeedback)] {
        var out: [(at: UInt64, packet: RtcpTransportFeedback)] = []
        func pollDue(until limit: UInt64) {
            var spins = 0
            while let due = recorder.nextTimeout, due <= limit, spins < 10_000 {
                spins += 1
                for packet in drain(&recorder, now: due) { out.append((due, packet)) }
            }
        }
        for (sequenceNumber, arrival) in trace {
            pollDue(until: arrival)
            recorder.record(sequenceNumber: sequenceNumber, arrival: arrival)
        }
        pollDue(until: .max)
        return out
    }

    // MARK: Worked examples

    /// Five packets 65533...1 across the wrap, the third arriving before the second: the
    /// statuses, reference time and deltas worked out by hand, and the bytes.
    @Test func workedExampleAcrossTheWrap() throws {
        var recorder = Recorder(senderSsrc: 1)
        recorder.setMediaSsrc(0x1234_5678)
        recorder.record(sequenceNumber: 65533, arrival: ms(1000.1))
        recorder.record(sequenceNumber: 65534, arrival: ms(1001.0))
        recorder.record(sequenceNumber: 65535, arrival: ms(1000.5))
        recorder.record(sequenceNumber: 0, arrival: ms(1040.0))
        recorder.record(sequenceNumber: 1, arrival: ms(1049.9))
        #expect(recorder.nextTimeout == ms(1050.1))  // one interval after the first packet
        #expect(recorder.pollFeedback(now: ms(1050.0)) == nil)

        let packets = Self.drain(&recorder, now: ms(1050.1))
        try #require(packets.count == 1)
        let feedback = packets[0]
        #expect(feedback.baseSequenceNumber == 65533)
        // 1000.1 ms is in the 15th 64 ms unit (960 ms); 40.1 ms on is 160 ticks.
        #expect(feedback.referenceTime == 15)
        #expect(feedback.feedbackPacketCount == 0)
        #expect(feedback.statuses == [
            .receivedSmallDelta(160),  // 960 + 40.0 = 1000.0
            .receivedSmallDelta(4),  // 1001.0
            .receivedLargeDelta(-2),  // 1000.5: earlier than the previous, a negative large delta
            .receivedSmallDelta(158),  // 1040.0
            .receivedSmallDelta(40),  // 9.9 ms rounds to 40 ticks
        ])
        #expect(try feedback.bytes() == hex("""
            8F CD 0006   # no padding, 28 bytes
            00000001 12345678
            FFFD 0005    # base 65533, 5 statuses
            00000F 00    # reference time 15, feedback packet count 0
            D650         # two-bit vector: small, small, large, small, small, (not received x2)
            A0 04 FFFE 9E 28
            """))
        #expect(recorder.nextTimeout == nil)
        #expect(recorder.pollFeedback(now: ms(2000)) == nil)
    }

    /// The Chrome captures rebuilt byte for byte from the arrivals they encode. Arrivals are fed
    /// 0.1 ms before the tick they were rounded to, as a real arrival would be for the statusvector
    /// capture, whose first delta (256 ticks) lies just under the next 64 ms unit. Earlier rounds
    /// bring the feedback packet count to the captured one and end just before its base.
    @Test(arguments: ["chrome-rtcp-twcc-runlength", "chrome-rtcp-twcc-statusvector", "chrome-rtcp-twcc-statusvector-1bit"])
    func rebuildsChromeCapture(_ name: String) throws {
        let bytes = try Fixture.bytes(name)
        let captured = try RtcpTransportFeedback.parse(bytes)
        let arrivals = captured.receivedPackets.map {
            (sequenceNumber: $0.sequenceNumber, arrival: UInt64($0.arrivalTime) * 1_000 - 100_000)
        }
        let first = try #require(arrivals.first).arrival

        var recorder = Recorder(senderSsrc: captured.senderSsrc)
        recorder.setMediaSsrc(captured.mediaSsrc)
        let rounds = Int(captured.feedbackPacketCount)
        let start = first - UInt64(rounds) * ms(60) - ms(200)
        for round in 0..<rounds {
            let arrival = start + UInt64(round) * ms(60)
            recorder.record(sequenceNumber: captured.baseSequenceNumber &- UInt16(rounds - round), arrival: arrival)
            #expect(Self.drain(&recorder, now: arrival + ms(50)).count == 1)
        }

        for (sequenceNumber, arrival) in arrivals {
            recorder.record(sequenceNumber: sequenceNumber, arrival: arrival)
        }
        let packets = Self.drain(&recorder, now: try #require(arrivals.last).arrival)
        try #require(packets.count == 1)
        #expect(packets[0] == captured)
        #expect(try packets[0].bytes() == bytes)
    }

    // MARK: Loss, reordering, wrap, duplicates

    @Test func aGapIsReportedAsLostInAnEarlyFeedback() throws {
        var recorder = Recorder(senderSsrc: 1)
        for index in 0..<5 {
            recorder.record(sequenceNumber: UInt16(index), arrival: ms(100 + Double(index)))
        }
        #expect(recorder.nextTimeout == ms(150))
        recorder.record(sequenceNumber: 7, arrival: ms(105))  // 5 and 6 missing
        #expect(recorder.nextTimeout == ms(110))  // lossDelay after the gap, not the interval
        #expect(recorder.pollFeedback(now: ms(109.9)) == nil)

        let packets = Self.drain(&recorder, now: ms(110))
        try #require(packets.count == 1)
        #expect(packets[0].baseSequenceNumber == 0)
        #expect(packets[0].referenceTime == 1)
        #expect(packets[0].statuses == [144, 4, 4, 4, 4].map { .receivedSmallDelta($0) }
            + [.notReceived, .notReceived, .receivedSmallDelta(4)])

        // A second gap right after: early again, but not within 10 ms of the last feedback.
        recorder.record(sequenceNumber: 8, arrival: ms(111))
        recorder.record(sequenceNumber: 10, arrival: ms(112))
        #expect(recorder.nextTimeout == ms(120))
        let second = Self.drain(&recorder, now: ms(120))
        #expect(second.map(\.baseSequenceNumber) == [8])
        #expect(second.first?.statuses.map(\.symbol) == [.receivedSmallDelta, .notReceived, .receivedSmallDelta])
    }

    @Test func aGapFilledBeforeTheEarlyFeedbackWaitsForTheInterval() throws {
        var recorder = Recorder(senderSsrc: 1)
        recorder.record(sequenceNumber: 0, arrival: ms(100))
        recorder.record(sequenceNumber: 2, arrival: ms(101))
        #expect(recorder.nextTimeout == ms(106))
        recorder.record(sequenceNumber: 1, arrival: ms(103))
        #expect(recorder.pollFeedback(now: ms(106)) == nil)
        #expect(recorder.nextTimeout == ms(150))
        let packets = Self.drain(&recorder, now: ms(150))
        #expect(packets.map(\.statuses.count) == [3])
        #expect(packets.first?.statuses.allSatisfy { $0 != .notReceived } == true)
    }

    @Test func feedbackIsNeverMoreOftenThanTheMinimumSpacing() {
        // Every other number lost, one packet a millisecond, for 300 ms.
        var recorder = Recorder(senderSsrc: 1)
        let trace = (0..<300).map { (sequenceNumber: UInt16(2 * $0), arrival: ms(1000 + Double($0))) }
        let rounds = Array(Set(Self.drive(&recorder, trace).map(\.at))).sorted()
        for (earlier, later) in zip(rounds, rounds.dropFirst()) {
            #expect(later - earlier >= Recorder.minimumSpacing)
        }
        // Loss every millisecond keeps feedback at the minimum spacing, far above 1 per interval.
        #expect(rounds.count >= 25)
        #expect(rounds.count <= 31)
    }

    @Test func aLatePacketIsReportedInTheNextFeedback() throws {
        var recorder = Recorder(senderSsrc: 1)
        recorder.record(sequenceNumber: 0, arrival: ms(100))
        recorder.record(sequenceNumber: 1, arrival: ms(101))
        recorder.record(sequenceNumber: 3, arrival: ms(102))
        let first = Self.drain(&recorder, now: ms(107))
        #expect(first.first?.statuses.map(\.symbol)
            == [.receivedSmallDelta, .receivedSmallDelta, .notReceived, .receivedSmallDelta])

        recorder.record(sequenceNumber: 2, arrival: ms(130))
        #expect(recorder.nextTimeout == ms(157))  // the interval after the last feedback
        let second = Self.drain(&recorder, now: ms(157))
        try #require(second.count == 1)
        #expect(second[0].baseSequenceNumber == 2)
        #expect(second[0].feedbackPacketCount == 1)
        #expect(second[0].statuses == [.receivedSmallDelta(8), .receivedLargeDelta(-112)])
        #expect(second[0].receivedPackets == [
            .init(sequenceNumber: 2, arrivalTime: 130_000), .init(sequenceNumber: 3, arrivalTime: 102_000),
        ])
    }

    @Test func aPacketOvertakenByTheFirstIsReported() {
        var recorder = Recorder(senderSsrc: 1)
        recorder.record(sequenceNumber: 5, arrival: ms(100))
        recorder.record(sequenceNumber: 4, arrival: ms(101))
        let packets = Self.drain(&recorder, now: ms(150))
        #expect(packets.map(\.baseSequenceNumber) == [4])
        #expect(packets.map(\.statuses) == [[.receivedSmallDelta(148), .receivedLargeDelta(-4)]])
    }

    @Test func aPacketOlderThanTheHistoryIsIgnored() {
        var recorder = Recorder(senderSsrc: 1)
        recorder.record(sequenceNumber: 10, arrival: ms(100))
        _ = Self.drain(&recorder, now: ms(150))
        for index in 0..<TransportFeedbackHistory.capacity {
            recorder.record(sequenceNumber: UInt16(11 + index), arrival: ms(200))
        }
        _ = Self.drain(&recorder, now: ms(300))
        #expect(recorder.nextTimeout == nil)
        recorder.record(sequenceNumber: 9, arrival: ms(310))  // never seen, but out of the history
        recorder.record(sequenceNumber: 10, arrival: ms(310))  // seen, and out of the history
        #expect(recorder.nextTimeout == nil)
    }

    @Test func sequenceNumbersWrapBetweenFeedbacks() throws {
        var recorder = Recorder(senderSsrc: 1)
        recorder.record(sequenceNumber: 65534, arrival: ms(100))
        recorder.record(sequenceNumber: 65535, arrival: ms(101))
        let first = Self.drain(&recorder, now: ms(150))
        recorder.record(sequenceNumber: 0, arrival: ms(160))
        recorder.record(sequenceNumber: 2, arrival: ms(161))
        let second = Self.drain(&recorder, now: ms(200))
        #expect(first.map(\.baseSequenceNumber) == [65534])
        #expect(first.first?.statuses.count == 2)
        #expect(second.map(\.baseSequenceNumber) == [0])
        #expect(second.first?.receivedPackets.map(\.sequenceNumber) == [0, 2])
        #expect(second.first?.statuses.count == 3)
    }

    @Test func aDuplicateIsRecordedOnce() throws {
        var recorder = Recorder(senderSsrc: 1)
        recorder.record(sequenceNumber: 5, arrival: ms(100))
        recorder.record(sequenceNumber: 5, arrival: ms(101))
        recorder.record(sequenceNumber: 6, arrival: ms(102))
        let packets = Self.drain(&recorder, now: ms(150))
        // 6's delta counts from the first arrival of 5.
        #expect(packets.map(\.statuses) == [[.receivedSmallDelta(144), .receivedSmallDelta(8)]])
        recorder.record(sequenceNumber: 6, arrival: ms(160))  // already reported
        #expect(recorder.nextTimeout == nil)
    }

    // MARK: Splitting and bounds

    @Test func aDeltaBeyond16BitsStartsAnotherPacket() throws {
        var recorder = Recorder(senderSsrc: 1)
        recorder.record(sequenceNumber: 0, arrival: ms(100))
        recorder.record(sequenceNumber: 2, arrival: ms(9100))  // 36,000 ticks later
        let packets = Self.drain(&recorder, now: ms(9100))
        #expect(packets.map(\.baseSequenceNumber) == [0, 1])
        #expect(packets.map(\.feedbackPacketCount) == [0, 1])
        #expect(packets.map(\.referenceTime) == [1, 142])
        #expect(packets.map(\.statuses) == [[.receivedSmallDelta(144)], [.notReceived, .receivedSmallDelta(48)]])

        // Backwards by more than 8.192 s splits too; -8 s still fits as a negative large delta.
        var backwards = Recorder(senderSsrc: 1)
        backwards.record(sequenceNumber: 0, arrival: ms(9100))
        backwards.record(sequenceNumber: 1, arrival: ms(100))
        backwards.record(sequenceNumber: 2, arrival: ms(8100))
        backwards.record(sequenceNumber: 3, arrival: ms(100))
        let split = Self.drain(&backwards, now: ms(9200))
        #expect(split.map(\.statuses) == [
            [.receivedSmallDelta(48)],
            [.receivedSmallDelta(144), .receivedLargeDelta(32000), .receivedLargeDelta(-32000)],
        ])
    }

    @Test func aHugeJumpRestartsTheWindow() throws {
        var recorder = Recorder(senderSsrc: 1)
        for index in 0..<10 {
            recorder.record(sequenceNumber: UInt16(index), arrival: ms(100 + Double(index)))
        }
        recorder.record(sequenceNumber: 30_000, arrival: ms(110))
        // What was pending goes at once, without the 29,990 numbers in between.
        #expect(recorder.nextTimeout == ms(110))
        let flushed = Self.drain(&recorder, now: ms(110))
        #expect(flushed.map(\.baseSequenceNumber) == [0])
        #expect(flushed.map(\.statuses.count) == [10])
        let next = Self.drain(&recorder, now: ms(160))
        #expect(next.map(\.baseSequenceNumber) == [30_000])
        #expect(next.map(\.statuses.count) == [1])
        #expect(next.map(\.feedbackPacketCount) == [1])

        // A jump inside the history is loss, reported in a few bytes of run-length chunks.
        recorder.record(sequenceNumber: 38_000, arrival: ms(170))
        let loss = Self.drain(&recorder, now: ms(180))
        #expect(loss.map(\.statuses.count) == [8000])
        #expect(try loss.first?.bytes().count == 28)
    }

    @Test func manyPacketsInOneIntervalSplitIntoBoundedPackets() throws {
        var recorder = Recorder(senderSsrc: 1)
        var recorded: [UInt16: UInt64] = [:]
        for index in 0..<2000 where index % 7 != 3 {
            let arrival = ms(100) + UInt64(index) * 20_000  // 20 µs apart: 2000 in 40 ms
            recorder.record(sequenceNumber: UInt16(index), arrival: arrival)
            recorded[UInt16(index)] = arrival
        }
        let packets = Self.drain(&recorder, now: ms(150))
        #expect(packets.count >= 2)
        var next: UInt16 = 0
        for (index, packet) in packets.enumerated() {
            let bytes = try packet.bytes()
            #expect(bytes.count <= Recorder.maxPacketSize)
            if index < packets.count - 1 { #expect(bytes.count > Recorder.maxPacketSize - 20) }  // filled
            #expect(packet.baseSequenceNumber == next)
            #expect(packet.feedbackPacketCount == UInt8(index))
            next = packet.baseSequenceNumber &+ UInt16(packet.statuses.count)
        }
        #expect(next == 2000)
        try Self.expectReports(packets, recorded)
    }

    @Test func theFeedbackPacketCountWraps() {
        var recorder = Recorder(senderSsrc: 1)
        for round in 0..<300 {
            recorder.record(sequenceNumber: UInt16(round), arrival: ms(Double(round) * 60))
            let packets = Self.drain(&recorder, now: ms(Double(round) * 60 + 50))
            #expect(packets.map(\.feedbackPacketCount) == [UInt8(truncatingIfNeeded: round)])
        }
    }

    @Test func nextTimeout() {
        var recorder = Recorder(senderSsrc: 1)
        #expect(recorder.nextTimeout == nil)
        #expect(recorder.pollFeedback(now: ms(1000)) == nil)
        recorder.record(sequenceNumber: 0, arrival: ms(1000))
        #expect(recorder.nextTimeout == ms(1050))
        #expect(recorder.pollFeedback(now: ms(1049)) == nil)
        #expect(Self.drain(&recorder, now: ms(1052)).count == 1)
        #expect(recorder.nextTimeout == nil)
        recorder.record(sequenceNumber: 1, arrival: ms(1060))
        #expect(recorder.nextTimeout == ms(1102))  // the interval after the previous feedback
        #expect(Self.drain(&recorder, now: ms(1102)).count == 1)
        recorder.record(sequenceNumber: 2, arrival: ms(2000))
        #expect(recorder.nextTimeout == ms(2000))  // after a pause, at once

        #expect(Recorder(senderSsrc: 1, interval: 1_000_000).interval == Recorder.minimumSpacing)
        #expect(Recorder(senderSsrc: 1, interval: 100_000_000).interval == 100_000_000)
    }

    // MARK: Round trip and hostile input

    /// Every received number is reported, and every reported arrival time parses back to the
    /// recorded one within half a tick, modulo the 2^24 x 64 ms reference-time wrap.
}
