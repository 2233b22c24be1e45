import Foundation

/// Monotonic nanoseconds, as the socket loop passes them to the sans-IO endpoints.
enum MonotonicClock {
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    static func sleep(until deadline: UInt64) {
        let now = now()
        guard deadline > now else { return }
        usleep(useconds_t(min((deadline - now) / 1_000, 1_000_000)))
    }
}
