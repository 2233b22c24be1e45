import Vapor

/// The long-lived parts of the web application, kept in the Vapor application's storage.
struct WebServices: Sendable {
    let configuration: WebApplicationConfiguration
    let loginLimiter: AttemptRateLimiter
    let registerLimiter: AttemptRateLimiter
    let passwordChangeLimiter: AttemptRateLimiter
    /// Wrong passwords per account, by account id.
    let passwordGuesses: AttemptRateLimiter
    /// A hash of no one's password, checked when a login names no account, so that the answer
    /// takes as long as for a real one and does not tell which names exist.
    let decoyPasswordHash: String
    let admins: LastAdminGuard
    let avatars: AvatarStore
    let files: FileJail
    let chat: ChatHub

    private struct Key: StorageKey {
        typealias Value = WebServices
    }

    static func install(_ services: WebServices, in app: Application) {
        app.storage[Key.self] = services
    }

    static func of(_ app: Application) throws -> WebServices {
        guard let services = app.storage[Key.self] else {
            throw Abort(.internalServerError, reason: "The web application is not configured.")
        }
        return services
    }
}

extension Request {
    /// The client's address as the rate limiters count it.
    var clientKey: String {
        remoteAddress?.ipAddress ?? "unknown"
    }

    /// Counts an attempt against `limiter` and answers 429 with `reason` past the limit.
    func admit(_ limiter: KeyPath<WebServices, AttemptRateLimiter>, or reason: String) async throws {
        guard try await services[keyPath: limiter].admit(clientKey) else {
            throw Abort(.tooManyRequests, reason: reason)
        }
    }

    /// Checks `password` against `user`'s hash, within the account's limit of wrong guesses
    /// (429 past it, before bcrypt runs); a wrong one counts against the account. With no
    /// account, a decoy hash is checked, so both take as long.
    func verifyPassword(_ password: String, of user: User?) async throws -> Bool {
        let services = try services
        guard let user, let id = user.id?.uuidString else {
            _ = try await self.password.async.verify(password, created: services.decoyPasswordHash)
            return false
        }
        guard await services.passwordGuesses.isWithinLimit(id) else {
            throw Abort(.tooManyRequests, reason: "Too many wrong passwords for this account; wait a minute.")
        }
        let valid = try await self.password.async.verify(password, created: user.passwordHash)
        if !valid { await services.passwordGuesses.record(id) }
        return valid
    }

    var services: WebServices {
        get throws { try WebServices.of(application) }
    }
}
