import CUDP
import Testing
@testable import Relay

@Suite struct DatagramBatchTests {
    static let clock = ClockPair(realtime: 1_800_000_000_000_000_000, monotonic: 50_000_000_000)

    static func arrival(ofStamp stamp: UInt64, fallback: UInt64 = clock.monotonic) -> UInt64 {
        let batch = DatagramBatch(capacity: 1)
        batch.slots[0].arrival_realtime_ns = stamp
        return batch.arrival(at: 0, clock: clock, fallback: fallback)
    }

    @Test func aKernelTimestampMovesOntoTheMonotonicClock() {
        #expect(Self.arrival(ofStamp: Self.clock.realtime - 5_000_000) == Self.clock.monotonic - 5_000_000)
    }

    @Test func withoutAUsableTimestampTheFallbackIsTaken() {
        #expect(Self.arrival(ofStamp: 0) == Self.clock.monotonic, "no timestamp")
        #expect(Self.arrival(ofStamp: Self.clock.realtime + 1_000) == Self.clock.monotonic, "from the future: the wall clock stepped back")
        #expect(Self.arrival(ofStamp: Self.clock.realtime - 2_000_000_000) == Self.clock.monotonic, "over a second old: the wall clock stepped")
    }

    @Test func anArrivalIsNeverLaterThanTheFallback() {
        let earlier = Self.clock.monotonic - 10_000_000
        #expect(Self.arrival(ofStamp: Self.clock.realtime - 1_000_000, fallback: earlier) == earlier)
    }
}
