import Vapor

/// `GET /healthz`: answers while the process serves requests.
struct HealthController: RouteCollection {
    struct Health: Content {
        var status: String
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz") { _ in Health(status: "ok") }
    }
}
