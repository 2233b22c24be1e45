import Relay

/// abs-send-time (24 bits, seconds in 6.18 fixed point, wrapping every 64 s), which publishers
/// write as a browser does. An SFU may replace it with its own, so latency is measured from the
/// send time in the padding instead (`SendTimePadding`).
enum AbsSendTime {
    static func value(at now: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: (now / 1000) * 262_144 / 1_000_000) & 0xFF_FFFF
    }

    static func bytes(at now: UInt64) -> [UInt8] {
        let value = value(at: now)
        return [UInt8(value >> 16), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
