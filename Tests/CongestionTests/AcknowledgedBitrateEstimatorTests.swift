import Testing

@testable import Congestion

@Suite struct AcknowledgedBitrateEstimatorTests {
    func results(count: Int, every interval: Int64, size: Int, from start: Int64 = 0, lostEvery: Int? = nil) -> [PacketResult] {
        (0..<count).map { index in
            let lost = lostEvery.map { index % $0 == 0 } ?? false
            return PacketResult(
                sequenceNumber: Int64(index), sendTime: 0, size: size, probeCluster: nil,
                arrivalTime: lost ? nil : start + Int64(index) * interval)
        }
    }

    @Test func measuresTheReceivedRate() {
        var estimator = AcknowledgedBitrateEstimator()
        #expect(estimator.bitrate == nil)
        // 1000 bytes every 10 ms: 800 kbit/s.
        estimator.update(results(count: 3, every: 10_000_000, size: 1_000))
        #expect(estimator.bitrate == nil)  // 20 ms is too short to tell
        estimator.update(results(count: 100, every: 10_000_000, size: 1_000, from: 30_000_000))
        #expect(estimator.bitrate == 800_000)
    }

    @Test func lostPacketsDoNotCount() {
        var estimator = AcknowledgedBitrateEstimator()
        estimator.update(results(count: 100, every: 10_000_000, size: 1_000, lostEvery: 4))
        // Three in four of 800 kbit/s, give or take the packets at the window's edge.
        #expect((580_000...620_000).contains(estimator.bitrate!))
    }

    @Test func followsAChangeWithinTheWindow() {
        var estimator = AcknowledgedBitrateEstimator()
        estimator.update(results(count: 100, every: 10_000_000, size: 1_000))
        estimator.update(results(count: 100, every: 10_000_000, size: 500, from: 1_000_000_000))
        #expect(estimator.bitrate == 400_000)
    }

    @Test func aRateWindowSeesASenderStop() {
        var window = RateWindow()
        for index in 0..<100 { window.add(size: 1_000, at: Int64(index) * 10_000_000) }
        #expect(window.bitrate(at: 990_000_000) == 800_000)
        #expect(window.bitrate(at: 1_240_000_000) == 400_000)
        #expect(window.bitrate(at: 2_000_000_000) == 0)
    }

    @Test func aRateWindowMeasuresItsSpanBeforeTheWindowIsFullAndForgetsOnReset() {
        var window = RateWindow()
        window.add(size: 1_000, at: 0)
        #expect(window.bitrate == nil)
        for index in 1..<5 { window.add(size: 1_000, at: Int64(index) * 10_000_000) }
        // 40 ms: shorter than the minimum span.
        #expect(window.bitrate == nil)
        for index in 5...10 { window.add(size: 1_000, at: Int64(index) * 10_000_000) }
        // 10,000 bytes after the first sample over 100 ms.
        #expect(window.bitrate == 800_000)
        #expect(window.sampleCount == 11)
        window.reset()
        #expect(window.bitrate == nil)
        #expect(window.sampleCount == 0)
        window.add(size: 500, at: 2_000_000_000)
        window.add(size: 500, at: 2_100_000_000)
        #expect(window.sampleCount == 2)
        #expect(window.bitrate == 40_000)
    }

    @Test func aRateWindowWithAResolutionMeasuresTheSameWithFewerSamples() {
        var every = RateWindow(window: 1_000_000_000)
        var coarse = RateWindow(window: 1_000_000_000, resolution: 5_000_000)
        // 1,000 bytes a millisecond for two seconds, then a packet from the past.
        for index in 0..<2_000 {
            every.add(size: 1_000, at: Int64(index) * 1_000_000)
            coarse.add(size: 1_000, at: Int64(index) * 1_000_000)
        }
        every.add(size: 1_000, at: 1_000_000_000)
        coarse.add(size: 1_000, at: 1_000_000_000)
        #expect(every.sampleCount == 1_000)
        #expect(coarse.sampleCount == 200)
        #expect(every.bitrate == 8_008_000)
        #expect(coarse.bitrate == 8_008_000)
        // Half a second after the last packet the window's edge cuts a coarse sample: the two
        // differ by at most the bytes of one resolution.
        let exact = every.bitrate(at: 2_500_000_000) ?? 0
        let close = coarse.bitrate(at: 2_500_000_000) ?? 0
        #expect(exact == 4_000_000)
        #expect(abs(exact - close) <= 5 * 1_000 * 8)
    }
}
