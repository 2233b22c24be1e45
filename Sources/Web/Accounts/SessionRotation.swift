import Vapor

/// Gives a session a new id and a new CSRF token when its owner logs in, so an id or token
/// planted or seen before the login is worth nothing after it.
enum SessionRotation {
    static func rotate(_ request: Request) async throws {
        if let old = request.session.id {
            try await request.application.sessions.driver.deleteSession(old, for: request).get()
            request.session.id = nil
        }
        request.session.data[CSRFToken.sessionKey] = nil
    }
}
