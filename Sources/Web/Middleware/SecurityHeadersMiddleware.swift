import Vapor

/// Adds the browser-side protections to every response, pages, files and errors alike:
///
/// - `Content-Security-Policy`: scripts, styles and everything else only from this server, no
///   inline script or style (the pages have none; keep it that way), no plugins; the pages may
///   not be framed (`frame-ancestors 'none'`, against clickjacking) and forms post only here.
///   `connect-src 'self'` covers `ws:`/`wss:` to this host as well; a handler may add origins
///   to it (`ConnectSources`).
/// - `Referrer-Policy: same-origin`: a call or chat room name in a URL is not sent to other sites.
/// - `X-Content-Type-Options: nosniff`: a file is never run as another type than it is served as
///   (an uploaded avatar as a script, say).
/// - `X-Frame-Options: DENY`, for browsers older than `frame-ancestors`.
/// - Over the server's own HTTPS, every cookie it sets is `Secure`.
///
/// It goes first, ahead of Vapor's error middleware, so an error answer carries them too.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy = contentSecurityPolicy(connectingTo: [])

    /// The policy, with `origins` (already checked by `ConnectSources.origin(of:)`) in `connect-src`.
    static func contentSecurityPolicy(connectingTo origins: [String]) -> String {
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "media-src 'self' blob:",
            (["connect-src 'self'"] + origins).joined(separator: " "),
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let origins = request.storage[ConnectSources.self] ?? []
        response.headers.replaceOrAdd(
            name: "Content-Security-Policy",
            value: origins.isEmpty ? Self.contentSecurityPolicy : Self.contentSecurityPolicy(connectingTo: origins))
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        // A cookie set over HTTPS is Secure, so the browser never sends it over plain HTTP.
        if request.isServedOverTls {
            for (name, var cookie) in response.cookies.all where !cookie.isSecure {
                cookie.isSecure = true
                response.cookies[name] = cookie
            }
        }
        return response
    }
}
