import Vapor

/// The HTTPS server's responder: marks each request as having come over TLS, then answers it
/// like the plain server does, so the same routes and middleware serve both.
struct TlsMarkingResponder: Responder {
    let next: any Responder

    func respond(to request: Request) -> EventLoopFuture<Response> {
        request.storage[ServedOverTlsKey.self] = true
        return next.respond(to: request)
    }
}

private struct ServedOverTlsKey: StorageKey {
    typealias Value = Bool
}

extension Request {
    /// Whether the request came to the server's own HTTPS port (not through a TLS proxy, which
    /// `--cookie-secure` is for).
    var isServedOverTls: Bool {
        storage[ServedOverTlsKey.self] ?? false
    }
}
