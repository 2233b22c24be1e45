import Vapor

/// `GET /healthz`: `ok` while the process serves requests; `draining` with 503 once it is
/// shutting down, so a load balancer sends new users elsewhere while the calls in progress end.
struct HealthController: RouteCollection {
    struct Health: Content {
        var status: String
    }

    let drain: DrainState

    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz") { _ async throws -> Response in
            let health = drain.isDraining ? Health(status: "draining") : Health(status: "ok")
            let response = Response(status: drain.isDraining ? .serviceUnavailable : .ok)
            try response.content.encode(health)
            return response
        }
    }
}
