/// NTP timestamps as RTCP carries them: seconds since 1900 in the high 32 bits and the
/// fraction of a second in the low 32 (RFC 3550 §4).
public enum NtpTime {
    /// Seconds from 1900-01-01 to the Unix epoch, 1970-01-01.
    static let unixEpochOffset: UInt64 = 2_208_988_800

    public static func timestamp(unixNanoseconds: UInt64) -> UInt64 {
        let seconds = unixNanoseconds / 1_000_000_000 + unixEpochOffset
        let fraction = (unixNanoseconds % 1_000_000_000) << 32 / 1_000_000_000
        return (seconds << 32) | fraction
    }

    /// The middle 32 bits, as report blocks echo a sender report's time (RFC 3550 §6.4.1).
    public static func middle32(_ timestamp: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: timestamp >> 16)
    }
}
