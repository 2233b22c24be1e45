import Fluent
import Vapor

/// TP2's users API under `/api/users`: list (paginated), get, create, update, delete, and the
/// avatar. Logged-in accounts read; admins write; an account may edit itself (not its role) and
/// set its own avatar. Errors are JSON `{status, message}`.
struct UsersAPIController: RouteCollection {
    /// Room for the multipart framing around a picture of the maximum size.
    static let maximumUploadBody = AvatarStore.maximumBytes + 64 * 1024

    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped("api", "users")
        users.get(":id", "avatar", use: avatar)
        let accounts = users.grouped(RoleRequirement.anyAccount)
        accounts.get(use: list)
        accounts.get(":id", use: get)
        accounts.patch(":id", use: update)
        accounts.put(":id", use: update)
        accounts.on(.POST, ":id", "avatar", body: .collect(maxSize: ByteCount(value: Self.maximumUploadBody)), use: uploadAvatar)
        let admins = users.grouped(RoleRequirement.admin)
        admins.post(use: create)
        admins.delete(":id", use: delete)
    }

    func list(req: Request) async throws -> UserListResponse {
        let page = try positiveQueryInteger(req, "page", default: 1, maximum: 1_000_000)
        let per = try positiveQueryInteger(req, "per", default: 20, maximum: 100)
        let result = try await User.query(on: req.db)
            .sort(\.$username)
            .paginate(PageRequest(page: page, per: per))
        return UserListResponse(
            items: try result.items.map(UserResponse.init), page: page, per: per, total: result.metadata.total)
    }

    func get(req: Request) async throws -> UserResponse {
        try UserResponse(try await findUser(req))
    }

    func create(req: Request) async throws -> Response {
        let body = try req.content.decode(CreateUserRequest.self)
        let displayName = body.displayName ?? body.username
        let role = try parseRole(body.role ?? UserRole.user.rawValue)
        try AccountRules.checkUsername(body.username)
        try AccountRules.checkPassword(body.password)
        try AccountRules.checkDisplayName(displayName)
        try await ensureUsernameFree(body.username, req: req)
        let hash = try await req.password.async.hash(body.password)
        let user = User(username: body.username, displayName: displayName, passwordHash: hash, role: role)
        try await saveUnique(user, req: req)
        return try await UserResponse(user).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> UserResponse {
        let user = try await findUser(req)
        let actor = try req.auth.require(User.self)
        try requireSelfOrAdmin(actor, user)
        let body = try req.content.decode(UpdateUserRequest.self)
        let wasAdmin = user.role == .admin
        if let username = body.username, username != user.username {
            try AccountRules.checkUsername(username)
            try await ensureUsernameFree(username, req: req)
            user.username = username
        }
        if let displayName = body.displayName {
            try AccountRules.checkDisplayName(displayName)
            user.displayName = displayName
        }
        if let roleName = body.role {
            let role = try parseRole(roleName)
            guard actor.role == .admin else {
                throw Abort(.forbidden, reason: "Only an admin may change a role.")
            }
            user.role = role
        }
        if let password = body.password {
            user.passwordHash = try await PasswordChange.newHash(
                password, current: body.currentPassword, of: user, by: actor, req: req)
        }
        if wasAdmin, user.role != .admin {
            try await req.services.admins.change(user, on: req.db) { try await saveUnique(user, req: req) }
        } else {
            try await saveUnique(user, req: req)
        }
        if body.password != nil {
            try await PasswordChange.endOtherSessions(of: user, by: actor, req: req)
        }
        return try UserResponse(user)
    }

    func delete(req: Request) async throws -> HTTPStatus {
        let user = try await findUser(req)
        let avatar = user.avatarFile
        if user.role == .admin {
            try await req.services.admins.change(user, on: req.db) { try await user.delete(on: req.db) }
        } else {
            try await user.delete(on: req.db)
        }
        if let id = user.id {
            try await AccountSession.end(sessionsOf: id, on: req.db)
        }
        if let avatar {
            try req.services.avatars.remove(avatar)
        }
        return .noContent
    }

    func uploadAvatar(req: Request) async throws -> UserResponse {
        let user = try await findUser(req)
        try requireSelfOrAdmin(try req.auth.require(User.self), user)
        let upload = try req.content.decode(AvatarUpload.self)
        guard upload.file.data.readableBytes <= AvatarStore.maximumBytes else {
            throw Abort(.payloadTooLarge, reason: "An avatar is at most 2 MiB.")
        }
        guard let kind = ImageKind(magic: upload.file.data.readableBytesView) else {
            throw Abort(.unsupportedMediaType, reason: "An avatar must be a PNG, JPEG or WebP picture.")
        }
        let avatars = try req.services.avatars
        let name = try await avatars.save(upload.file.data, kind: kind, fileio: req.fileio)
        let previous = user.avatarFile
        user.avatarFile = name
        user.avatarContentType = kind.contentType
        do {
            try await user.save(on: req.db)
        } catch {
            avatars.remove(name)
            throw error
        }
        if let previous {
            avatars.remove(previous)
        }
        return try UserResponse(user)
    }

    func avatar(req: Request) async throws -> Response {
        let user = try await findUser(req)
        guard let name = user.avatarFile, AvatarStore.isStoredName(name), let kind = ImageKind(storedName: name) else {
            throw Abort(.notFound, reason: "This user has no avatar.")
        }
        let response = try await req.fileio.asyncStreamFile(at: try req.services.avatars.path(of: name))
        response.headers.replaceOrAdd(name: .contentType, value: kind.contentType)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }

    private func findUser(_ req: Request) async throws -> User {
        guard let id = req.parameters.get("id", as: UUID.self),
              let user = try await User.find(id, on: req.db) else {
            throw Abort(.notFound, reason: "No such user.")
        }
        return user
    }

    private func requireSelfOrAdmin(_ actor: User, _ target: User) throws {
        guard actor.role == .admin || actor.id == target.id else {
            throw Abort(.forbidden, reason: "You may change only your own account.")
        }
    }

    private func parseRole(_ name: String) throws -> UserRole {
        guard let role = UserRole(rawValue: name) else {
            throw Abort(.badRequest, reason: "A role is admin or user.")
        }
        return role
    }

    private func ensureUsernameFree(_ username: String, req: Request) async throws {
        if try await User.query(on: req.db).filter(\.$username == username).first() != nil {
            throw Abort(.conflict, reason: "That username is taken.")
        }
    }

    /// The unique index settles a race between two requests for the same name.
    private func saveUnique(_ user: User, req: Request) async throws {
        do {
            try await user.save(on: req.db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Abort(.conflict, reason: "That username is taken.")
        }
    }

    private func positiveQueryInteger(_ req: Request, _ name: String, default value: Int, maximum: Int) throws -> Int {
        guard let text = req.query[String.self, at: name] else {
            return value
        }
        guard let number = Int(text), (1...maximum).contains(number) else {
            throw Abort(.badRequest, reason: "\(name) is a whole number from 1 to \(maximum).")
        }
        return number
    }
}
