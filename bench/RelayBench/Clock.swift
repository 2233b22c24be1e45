import Relay

/// abs-send-time (24 bits, seconds in 6.18 fixed point, wrapping every 64 s): publishers write
/// it, subscribers subtract it from their own reading of the same clock.
enum AbsSendTime {
    static func value(at now: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: (now / 1000) * 262_144 / 1_000_000) & 0xFF_FFFF
    }

    static func bytes(at now: UInt64) -> [UInt8] {
        let value = value(at: now)
        return [UInt8(value >> 16), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// Nanoseconds from `sent` to `now`, modulo the 64 s wrap.
    static func elapsed(since sent: UInt32, now: UInt64) -> UInt64 {
        let difference = (value(at: now) &- sent) & 0xFF_FFFF
        return UInt64(difference) * 1_000_000_000 / 262_144
    }
}
