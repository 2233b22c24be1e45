import Testing
import RTP

@Suite struct NackGeneratorTests {
    static let ms: UInt64 = 1_000_000

    @Test func nothingMissingNothingToAsk() {
        var generator = NackGenerator()
        for number in UInt16(0)..<10 { generator.received(number, now: 0) }
        #expect(generator.nextTimeout == nil)
        #expect(generator.pollNack(now: 0).isEmpty)
    }

    @Test func aGapIsAskedForAtOnceThenAgainUntilItArrives() {
        var generator = NackGenerator(retryInterval: 100 * Self.ms, maximumRequests: 3)
        generator.received(10, now: 0)
        generator.received(14, now: 5 * Self.ms)
        #expect(generator.nextTimeout == 5 * Self.ms)
        #expect(generator.pollNack(now: 5 * Self.ms) == [11, 12, 13])
        #expect(generator.pollNack(now: 50 * Self.ms).isEmpty, "not again before the retry interval")
        generator.received(12, now: 60 * Self.ms)
        #expect(generator.pollNack(now: 105 * Self.ms) == [11, 13])
        #expect(generator.pollNack(now: 205 * Self.ms) == [11, 13])
        #expect(generator.pollNack(now: 305 * Self.ms).isEmpty, "given up after three requests")
        #expect(generator.nextTimeout == nil)
    }

    @Test func gapsAcrossTheWrapAreNumberedRight() {
        var generator = NackGenerator()
        generator.received(65_534, now: 0)
        generator.received(1, now: 0)
        #expect(generator.pollNack(now: 0) == [65_535, 0])
    }

    @Test func aLateReorderedPacketIsNotAskedFor() {
        var generator = NackGenerator()
        generator.received(1, now: 0)
        generator.received(3, now: 0)
        generator.received(2, now: 0)
        #expect(generator.pollNack(now: 0).isEmpty)
    }

    @Test func oldPacketsAreGivenUp() {
        var generator = NackGenerator(retryInterval: 100 * Self.ms, maximumRequests: 100, maximumAge: 250 * Self.ms)
        generator.received(1, now: 0)
        generator.received(3, now: 0)
        #expect(generator.pollNack(now: 0) == [2])
        #expect(generator.pollNack(now: 100 * Self.ms) == [2])
        #expect(generator.pollNack(now: 300 * Self.ms).isEmpty)
    }

    @Test func aHugeGapIsARestartNotAThousandRequests() {
        var generator = NackGenerator()
        generator.received(100, now: 0)
        generator.received(30_000, now: 0)
        #expect(generator.pollNack(now: 0).isEmpty)
    }

    @Test func theWaitingListIsBounded() {
        var generator = NackGenerator()
        generator.received(0, now: 0)
        generator.received(900, now: 0)
        let asked = generator.pollNack(now: 0)
        #expect(asked.count == NackGenerator.maximumMissing)
        #expect(asked.last == 899, "the newest are kept")
    }
}
