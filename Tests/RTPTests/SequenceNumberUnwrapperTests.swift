import Testing
import RTP

@Suite struct SequenceNumberUnwrapperTests {
    @Test func firstValueIsItself() {
        var unwrapper = SequenceNumberUnwrapper()
        #expect(unwrapper.unwrap(65_000) == 65_000)
    }

    @Test func forwardAcrossTheWrapKeepsCounting() {
        var unwrapper = SequenceNumberUnwrapper()
        #expect(unwrapper.unwrap(65_534) == 65_534)
        #expect(unwrapper.unwrap(65_535) == 65_535)
        #expect(unwrapper.unwrap(0) == 65_536)
        #expect(unwrapper.unwrap(5) == 65_541)
        // A late packet from before the wrap is placed behind, not a whole cycle ahead.
        #expect(unwrapper.unwrap(65_530) == 65_530)
    }

    @Test func backwardsBeforeZeroGoesNegative() {
        var unwrapper = SequenceNumberUnwrapper()
        #expect(unwrapper.unwrap(2) == 2)
        #expect(unwrapper.unwrap(65_535) == -1)
    }

    @Test func manyCyclesAccumulate() {
        var unwrapper = SequenceNumberUnwrapper()
        var value: UInt16 = 0
        var last: Int64 = 0
        for _ in 0..<(5 * 65_536 / 1_000) {
            last = unwrapper.unwrap(value)
            value &+= 1_000
        }
        #expect(last == Int64(5 * 65_536 / 1_000 - 1) * 1_000)
    }

    @Test func peekDoesNotMoveTheReference() {
        var unwrapper = SequenceNumberUnwrapper()
        _ = unwrapper.unwrap(100)
        #expect(unwrapper.peek(90) == 90)
        #expect(unwrapper.last == 100)
    }
}
