/// Turns the 24-bit abs-send-time of successive packets (seconds in 6.18 fixed point, wrapping
/// every 64 s) into one continuous clock in nanoseconds. A value behind the previous one, as a
/// reordered packet carries, gives an earlier time, not a wrap.
public struct AbsoluteSendTimeUnwrapper: Sendable {
    /// Units of 2^-18 s since the first value, plus one whole period so that packets reordered
    /// ahead of the first one still map to a time after zero.
    private var units: Int64 = 1 << 24
    private var last: UInt32?

    public init() {}

    /// Nanoseconds on the sender's clock, for the 24 low bits of `value`.
    public mutating func unwrap(_ value: UInt32) -> UInt64 {
        let value = value & 0xFF_FFFF
        if let last {
            // The difference as a signed 24-bit number: at most half a period either way.
            let difference = Int32(bitPattern: ((value &- last) & 0xFF_FFFF) << 8) >> 8
            units = max(0, units + Int64(difference))
        }
        last = value
        return (UInt64(units) * 1_000_000_000) >> 18
    }
}
