import Foundation

/// Counts attempts of one kind (logins, registrations, password changes) per client address in a
/// sliding one-minute window, so a password cannot be guessed at network speed and bcrypt, slow
/// on purpose, cannot be made to eat the CPU.
actor AttemptRateLimiter {
    private let limit: Int
    private let window: TimeInterval
    private var attempts: [String: [Date]] = [:]

    init(limitPerMinute: Int) {
        self.limit = limitPerMinute
        self.window = 60
    }

    /// Records an attempt and says whether it is within the limit.
    func admit(_ client: String, at now: Date = Date()) -> Bool {
        let recent = (attempts[client] ?? []).filter { now.timeIntervalSince($0) < window }
        guard recent.count < limit else {
            attempts[client] = recent
            return false
        }
        attempts[client] = recent + [now]
        if attempts.count > 10_000 {
            attempts = attempts.filter { _, times in times.contains { now.timeIntervalSince($0) < window } }
        }
        return true
    }
}
