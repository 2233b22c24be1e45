import Testing
@testable import RTP

@Suite struct RtpReceiveStatisticsTests {
    /// 20 ms audio frames at 48 kHz arriving exactly on time.
    func steady(_ statistics: inout RtpReceiveStatistics, sequenceNumbers: some Sequence<UInt16>, start: UInt64 = 1_000_000_000) {
        for sequence in sequenceNumbers {
            let index = UInt64(sequence &- 100)
            statistics.record(sequenceNumber: sequence, timestamp: UInt32(truncatingIfNeeded: index * 960), arrival: start + index * 20_000_000)
        }
    }

    @Test func aCompleteStreamReportsNoLossAndNoJitter() {
        var statistics = RtpReceiveStatistics(clockRate: 48000)
        steady(&statistics, sequenceNumbers: 100..<200)
        let block = statistics.reportBlock(ssrc: 9, now: 3_000_000_000)
        #expect(block.ssrc == 9)
        #expect(block.fractionLost == 0)
        #expect(block.cumulativeLost == 0)
        #expect(block.extendedHighestSequenceNumber == 199)
        #expect(block.jitter == 0)
        #expect(block.lastSenderReport == 0 && block.delaySinceLastSenderReport == 0, "no SR received yet")
    }

    @Test func lossIsCountedCumulativelyAndAsAFractionOfTheInterval() {
        var statistics = RtpReceiveStatistics(clockRate: 48000)
        steady(&statistics, sequenceNumbers: (100..<200).filter { $0 % 4 != 0 })
        let first = statistics.reportBlock(ssrc: 1, now: 0)
        // Counting starts at the first packet received, 101: of 101...199, the 24 multiples
        // of four are missing.
        #expect(first.cumulativeLost == 24)
        #expect(first.fractionLost == UInt8((24 << 8) / 99))

        steady(&statistics, sequenceNumbers: 200..<300)
        let second = statistics.reportBlock(ssrc: 1, now: 0)
        #expect(second.fractionLost == 0, "the fraction covers only the packets since the last report")
        #expect(second.cumulativeLost == 24)
    }

    @Test func wrappingSequenceNumbersCountACycle() {
        var statistics = RtpReceiveStatistics(clockRate: 90000)
        for (offset, sequence) in [UInt16(65534), 65535, 0, 1, 2].enumerated() {
            statistics.record(sequenceNumber: sequence, timestamp: UInt32(offset * 3000), arrival: UInt64(offset) * 33_333_333)
        }
        #expect(statistics.extendedHighestSequenceNumber == 0x1_0002)
        #expect(statistics.reportBlock(ssrc: 1, now: 0).cumulativeLost == 0)
    }

    @Test func lateAndDuplicatePacketsDoNotMoveTheHighestNumber() {
        var statistics = RtpReceiveStatistics(clockRate: 90000)
        for sequence: UInt16 in [10, 12, 11, 12, 5] {
            statistics.record(sequenceNumber: sequence, timestamp: 0, arrival: 0)
        }
        #expect(statistics.extendedHighestSequenceNumber == 12)
        #expect(statistics.packetsReceived == 5)
        #expect(statistics.reportBlock(ssrc: 1, now: 0).cumulativeLost == -2, "duplicates can make the loss negative (RFC 3550 §6.4.1)")
    }

    @Test func jitterFollowsTheTransitTimeVariation() {
        var statistics = RtpReceiveStatistics(clockRate: 90000)
        // Frames every 33⅓ ms that arrive alternately on time and 10 ms late: a transit
        // difference of 900 timestamp units between neighbours.
        for index in 0..<400 {
            let late: UInt64 = index % 2 == 0 ? 0 : 10_000_000
            statistics.record(
                sequenceNumber: UInt16(index), timestamp: UInt32(index * 3000),
                arrival: 5_000_000_000 + UInt64(index) * 100_000_000 / 3 + late)
        }
        // The estimator converges on the mean absolute difference, 900.
        #expect((880...910).contains(statistics.jitter))
    }

    @Test func senderReportTimesAreEchoedWithTheDelaySince() {
        var statistics = RtpReceiveStatistics(clockRate: 48000)
        steady(&statistics, sequenceNumbers: 100..<110)
        let ntp: UInt64 = 0xE5A1_2345_6789_ABCD
        statistics.recordSenderReport(ntpTimestamp: ntp, arrival: 10_000_000_000)
        let block = statistics.reportBlock(ssrc: 1, now: 10_500_000_000)
        #expect(block.lastSenderReport == 0x2345_6789)
        #expect(block.delaySinceLastSenderReport == 32768, "half a second in units of 1/65536 s")
    }
}

@Suite struct NtpTimeTests {
    @Test func unixTimeBecomesSecondsSince1900AndAFraction() {
        #expect(NtpTime.timestamp(unixNanoseconds: 0) == UInt64(2_208_988_800) << 32)
        #expect(NtpTime.timestamp(unixNanoseconds: 1_500_000_000) == (UInt64(2_208_988_801) << 32) | 0x8000_0000)
        #expect(NtpTime.middle32(0x1122_3344_5566_7788) == 0x3344_5566)
    }
}
