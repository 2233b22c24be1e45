#if canImport(Glibc)
import Glibc
#endif

/// The clock the sans-IO objects are driven with: monotonic nanoseconds.
public enum Monotonic {
    public static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
