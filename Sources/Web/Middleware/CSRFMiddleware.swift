import Vapor

/// Refuses a state-changing request (anything but GET, HEAD and OPTIONS) whose CSRF token is
/// missing or differs from the session's (the anonymous cookie's when not logged in), with 403.
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        switch request.method {
        case .GET, .HEAD, .OPTIONS:
            return try await next.respond(to: request)
        default:
            break
        }
        guard let expected = CSRFToken.expected(for: request) else {
            throw Abort(.forbidden, reason: "The form has expired or lacks its CSRF token; reload the page and try again.")
        }
        let given = request.headers.first(name: CSRFToken.header) ?? formToken(of: request)
        guard let given, CSRFToken.matches(given, expected) else {
            throw Abort(.forbidden, reason: "The form has expired or lacks its CSRF token; reload the page and try again.")
        }
        return try await next.respond(to: request)
    }

    private func formToken(of request: Request) -> String? {
        guard let type = request.headers.contentType,
              type == .urlEncodedForm || type == .formData else {
            return nil
        }
        return try? request.content.get(String.self, at: CSRFToken.formField)
    }
}
