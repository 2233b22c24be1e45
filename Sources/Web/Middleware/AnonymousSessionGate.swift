import Vapor

/// Lets Vapor's sessions middleware store a new session only when an account is logged into it.
///
/// That middleware starts a fresh session for any cookie it does not know and stores it at the
/// end of the request, so every made-up cookie would insert a row. Placed just inside it, this
/// drops such a session instead: nothing is stored and the cookie is expired. Anonymous visitors
/// keep their CSRF token in a cookie of its own (`CSRFToken`), not in a session.
struct AnonymousSessionGate: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if request.hasSession, request.session.id == nil, request.session.authenticated(User.self) == nil {
            request.session.destroy()
        }
        return response
    }
}
