import Vapor

/// The long-lived parts of the web application, kept in the Vapor application's storage.
struct WebServices: Sendable {
    let configuration: WebApplicationConfiguration
    let loginLimiter: AttemptRateLimiter
    let registerLimiter: AttemptRateLimiter
    let passwordChangeLimiter: AttemptRateLimiter
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

    var services: WebServices {
        get throws { try WebServices.of(application) }
    }
}
