import Vapor

/// `GET /`: links to every part of the server and a form to open a call room.
struct HomeController: RouteCollection {
    struct Context: Encodable {
        var page: PageContext
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
    }

    func home(req: Request) async throws -> View {
        try await req.view.render("home", Context(page: PageContext(request: req, title: "Relay")))
    }
}
