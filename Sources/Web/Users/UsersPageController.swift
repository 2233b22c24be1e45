import Fluent
import Vapor

/// `GET /users`: the people on this server with their avatars, and a form to change one's own.
struct UsersPageController: RouteCollection {
    struct Row: Encodable {
        var id: String
        var username: String
        var displayName: String
        var role: String
        var avatarURL: String?
        var isSelf: Bool
    }

    struct Context: Encodable {
        var page: PageContext
        var users: [Row]
        var selfID: String
        var maximumMiB: Int
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RoleRequirement.anyAccount).get("users", use: page)
    }

    func page(req: Request) async throws -> View {
        let me = try req.auth.require(User.self)
        let myID = try me.requireID()
        let users = try await User.query(on: req.db).sort(\.$username).limit(200).all()
        let rows = try users.map { user in
            let id = try user.requireID()
            return Row(
                id: id.uuidString, username: user.username, displayName: user.displayName, role: user.roleName,
                avatarURL: user.avatarFile == nil ? nil : "/api/users/\(id.uuidString)/avatar", isSelf: id == myID)
        }
        let context = Context(
            page: PageContext(request: req, title: "Users"), users: rows, selfID: myID.uuidString,
            maximumMiB: AvatarStore.maximumBytes / (1024 * 1024))
        return try await req.view.render("users", context)
    }
}
