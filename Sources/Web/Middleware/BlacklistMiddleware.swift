import Fluent
import Vapor

/// Answers 403 to a client whose IP address, or whose logged-in account, is on the blacklist.
/// Runs after the session authenticator so the account is known. The address is the TCP peer's:
/// behind a reverse proxy that is the proxy's.
struct BlacklistMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var candidates: [(BlacklistKind, String)] = []
        if let address = request.remoteAddress?.ipAddress {
            candidates.append((.ip, address))
        }
        if let user = request.auth.get(User.self) {
            candidates.append((.account, user.username))
        }
        if !candidates.isEmpty {
            let entry = try await BlacklistEntry.query(on: request.db)
                .group(.or) { group in
                    for (kind, value) in candidates {
                        group.group(.and) { both in
                            both.filter(\.$kindName == kind.rawValue).filter(\.$value == value)
                        }
                    }
                }
                .first()
            if let entry {
                let what = entry.kindName == BlacklistKind.ip.rawValue ? "Your address" : "Your account"
                throw Abort(.forbidden, reason: "\(what) is blocked on this server.")
            }
        }
        return try await next.respond(to: request)
    }
}
