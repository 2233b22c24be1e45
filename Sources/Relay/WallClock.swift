import Foundation
import RTP

/// Turns the monotonic clock the router runs on into NTP wall-clock time for sender reports.
/// Anchored once, so the reports of every stream share one timeline, which receivers need to
/// synchronise a participant's audio and video (RFC 3550 §6.4.1).
public struct WallClock: Sendable {
    private let unixNanosecondsAtAnchor: UInt64
    private let monotonicAtAnchor: UInt64

    public init(unixNanoseconds: UInt64, monotonic: UInt64) {
        unixNanosecondsAtAnchor = unixNanoseconds
        monotonicAtAnchor = monotonic
    }

    public static func anchoredNow() -> WallClock {
        WallClock(unixNanoseconds: UInt64(Date().timeIntervalSince1970 * 1_000_000_000), monotonic: Monotonic.now())
    }

    public func ntpTimestamp(atMonotonic now: UInt64) -> UInt64 {
        let unix = now >= monotonicAtAnchor
            ? unixNanosecondsAtAnchor &+ (now - monotonicAtAnchor)
            : unixNanosecondsAtAnchor &- (monotonicAtAnchor - now)
        return NtpTime.timestamp(unixNanoseconds: unix)
    }
}
