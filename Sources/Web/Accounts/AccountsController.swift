import Fluent
import Vapor

/// `/register`, `/login`, `/logout`: accounts with bcrypt password hashes and a session cookie
/// whose id changes at login.
struct AccountsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("register", use: registerForm)
        routes.post("register", use: register)
        routes.get("login", use: loginForm)
        routes.post("login", use: login)
        routes.post("logout", use: logout)
    }

    func registerForm(req: Request) async throws -> View {
        try await req.view.render("register", AccountPageContext(page: PageContext(request: req, title: "Register")))
    }

    func register(req: Request) async throws -> Response {
        try await req.admit(\.registerLimiter, or: "Too many accounts made from your address; wait a minute.")
        let form = try req.content.decode(RegisterForm.self)
        let displayName = form.displayName.flatMap { $0.isEmpty ? nil : $0 } ?? form.username
        do {
            try AccountRules.checkUsername(form.username)
            try AccountRules.checkDisplayName(displayName)
            try AccountRules.checkPassword(form.password)
            if try await User.query(on: req.db).filter(\.$username == form.username).first() != nil {
                throw Abort(.conflict, reason: "That username is taken.")
            }
        } catch let error as any AbortError {
            let context = AccountPageContext(
                page: PageContext(request: req, title: "Register"), error: error.reason,
                username: form.username, displayName: form.displayName)
            return try await req.view.render("register", context).encodeResponse(status: error.status, for: req)
        }
        let hash = try await req.password.async.hash(form.password)
        let user = User(username: form.username, displayName: displayName, passwordHash: hash, role: .user)
        try await user.save(on: req.db)
        try await SessionRotation.rotate(req)
        req.auth.login(user)
        return req.redirect(to: "/")
    }

    func loginForm(req: Request) async throws -> View {
        // Carried in the form only if it would be followed, so the page never holds another site.
        let next = req.query[String.self, at: "next"].map(LoginRedirect.target)
        return try await req.view.render(
            "login", AccountPageContext(page: PageContext(request: req, title: "Log in"), next: next))
    }

    func login(req: Request) async throws -> Response {
        try await req.admit(\.loginLimiter, or: "Too many login attempts from your address; wait a minute.")
        let form = try req.content.decode(LoginForm.self)
        let user = try await User.query(on: req.db).filter(\.$username == form.username).first()
        let valid = try await req.verifyPassword(form.password, of: user)
        guard let user, valid else {
            let context = AccountPageContext(
                page: PageContext(request: req, title: "Log in"), error: "Wrong username or password.",
                username: form.username, next: form.next)
            return try await req.view.render("login", context).encodeResponse(status: .unauthorized, for: req)
        }
        try await SessionRotation.rotate(req)
        req.auth.login(user)
        // A login is rare enough to sweep the expired sessions on, between the hourly sweeps.
        try await AccountSession.prune(on: req.db)
        return req.redirect(to: LoginRedirect.target(form.next))
    }

    func logout(req: Request) async throws -> Response {
        req.auth.logout(User.self)
        req.session.destroy()
        return req.redirect(to: "/")
    }
}
