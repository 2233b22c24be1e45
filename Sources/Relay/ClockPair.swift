internal import CUDP

/// The wall clock and the monotonic clock read together, to move a kernel timestamp (wall
/// clock) onto the monotonic clock the router runs on.
public struct ClockPair: Sendable {
    public var realtime: UInt64
    public var monotonic: UInt64

    public init(realtime: UInt64, monotonic: UInt64) {
        self.realtime = realtime
        self.monotonic = monotonic
    }

    public static func now() -> ClockPair {
        var realtime: UInt64 = 0
        var monotonic: UInt64 = 0
        relay_clock_pair(&realtime, &monotonic)
        return ClockPair(realtime: realtime, monotonic: monotonic)
    }
}
