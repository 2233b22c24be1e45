import Vapor

/// The long-lived parts of the web application, kept in the Vapor application's storage.
struct WebServices: Sendable {
    let configuration: WebApplicationConfiguration
    let loginLimiter: LoginRateLimiter
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
    var services: WebServices {
        get throws { try WebServices.of(application) }
    }
}
