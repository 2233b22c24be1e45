import Foundation

/// Counts attempts of one kind (logins, registrations, password changes) per key — a client
/// address, or an account — in a sliding one-minute window, so a password cannot be guessed at
/// network speed and bcrypt, slow on purpose, cannot be made to eat the CPU.
actor AttemptRateLimiter {
    private let limit: Int
    private let window: TimeInterval
    private var attempts: [String: [Date]] = [:]

    init(limitPerMinute: Int) {
        self.limit = limitPerMinute
        self.window = 60
    }

    /// Records an attempt and says whether it is within the limit.
    func admit(_ key: String, at now: Date = Date()) -> Bool {
        guard isWithinLimit(key, at: now) else { return false }
        record(key, at: now)
        return true
    }

    /// Whether `key` may try once more, without counting a try.
    func isWithinLimit(_ key: String, at now: Date = Date()) -> Bool {
        let recent = (attempts[key] ?? []).filter { now.timeIntervalSince($0) < window }
        attempts[key] = recent.isEmpty ? nil : recent
        return recent.count < limit
    }

    /// Counts one try of `key`, such as a failed login.
    func record(_ key: String, at now: Date = Date()) {
        attempts[key, default: []].append(now)
        if attempts.count > 10_000 {
            attempts = attempts.filter { _, times in times.contains { now.timeIntervalSince($0) < window } }
        }
    }
}
