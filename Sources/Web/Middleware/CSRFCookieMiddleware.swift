import Vapor

/// Sets the `relay-csrf` cookie when a page of this response handed out a token made for it (see
/// `CSRFToken`). It sits outside the error middleware, so an error page's token is set as well.
struct CSRFCookieMiddleware: AsyncMiddleware {
    let cookie: @Sendable (String) -> HTTPCookies.Value

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if let token = CSRFToken.minted(for: request) {
            response.cookies[CSRFToken.cookieName] = cookie(token)
        }
        return response
    }
}
