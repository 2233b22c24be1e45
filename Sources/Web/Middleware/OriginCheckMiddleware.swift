import Vapor

/// Answers a WebSocket handshake from a page of another origin with 403 before it upgrades (see
/// `OriginPolicy`).
struct OriginCheckMiddleware: AsyncMiddleware {
    let policy: OriginPolicy

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // A browser sends one Origin; several are refused rather than one of them picked.
        let origins = request.headers[.origin]
        guard origins.count <= 1, policy.admits(origin: origins.first, host: request.headers.first(name: .host)) else {
            throw Abort(.forbidden, reason: "This socket opens only from the server's own pages.")
        }
        return try await next.respond(to: request)
    }
}
