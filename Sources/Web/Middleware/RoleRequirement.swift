import Vapor

/// Lets a request through only for a logged-in account, and, when `role` is set, only for that
/// role: a browser that is not logged in is sent to the login page, the API answers 401; a
/// logged-in account without the role gets 403.
struct RoleRequirement: AsyncMiddleware {
    let role: UserRole?

    static let anyAccount = RoleRequirement(role: nil)
    static let admin = RoleRequirement(role: .admin)

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let user = request.auth.get(User.self) else {
            switch ResponseFormat(for: request) {
            case .json:
                throw Abort(.unauthorized, reason: "Log in first.")
            case .html:
                guard request.method == .GET else {
                    throw Abort(.unauthorized, reason: "Log in first.")
                }
                return request.redirect(to: "/login?next=" + LoginRedirect.encode(request.url.string))
            }
        }
        if let role, user.role != role {
            throw Abort(.forbidden, reason: "This page is for the \(role.rawValue) role only.")
        }
        return try await next.respond(to: request)
    }
}
