import Fluent
import Leaf
import Vapor

/// Installs the web application — accounts, lottery, users API, chat, file explorer, admin — on a
/// Vapor application: database and migrations (run at boot), sessions, Leaf views, middleware and
/// routes. Views are read from `Resources/Views` and static files from `Public` under
/// `resourcesDirectory` (default: the working directory, so run `relay` from the repository root).
public func configureWebApplication(
    _ app: Application, _ configuration: WebApplicationConfiguration, origins: OriginPolicy = OriginPolicy()
) throws {
    if let resources = configuration.resourcesDirectory {
        app.directory = DirectoryConfiguration(workingDirectory: resources)
    }
    let dataDirectory = DatabaseSetup.absolutePath(configuration.dataDirectory, in: app.directory.workingDirectory)
    try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)

    try DatabaseSetup.configure(app, configuration.database)
    app.lifecycle.use(MigrateAtBoot(schema: configuration.database.schema))

    app.passwords.use(.bcrypt(cost: configuration.bcryptCost))
    let lifetime = configuration.sessionIdleLifetime
    let secure = configuration.cookieSecure
    app.sessions.use { _ in AccountSessionDriver(idleLifetime: lifetime) }
    app.sessions.configuration = SessionsConfiguration(cookieName: "relay-session") { sessionID in
        HTTPCookies.Value(
            string: sessionID.string, expires: Date(timeIntervalSinceNow: lifetime),
            maxAge: Int(lifetime), path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
    app.lifecycle.use(SessionPruner())
    app.views.use(.leaf)

    let filesRoot = DatabaseSetup.absolutePath(configuration.filesRoot, in: app.directory.workingDirectory)
    try FileManager.default.createDirectory(atPath: filesRoot, withIntermediateDirectories: true)
    let uploads = DatabaseSetup.absolutePath(configuration.uploadsDirectory, in: app.directory.workingDirectory)
    try FileManager.default.createDirectory(atPath: uploads, withIntermediateDirectories: true)
    WebServices.install(
        WebServices(
            configuration: configuration,
            loginLimiter: AttemptRateLimiter(limitPerMinute: configuration.loginAttemptsPerMinute),
            registerLimiter: AttemptRateLimiter(limitPerMinute: configuration.loginAttemptsPerMinute),
            passwordChangeLimiter: AttemptRateLimiter(limitPerMinute: configuration.loginAttemptsPerMinute),
            passwordGuesses: AttemptRateLimiter(limitPerMinute: configuration.passwordGuessesPerMinutePerAccount),
            decoyPasswordHash: try app.password.hash(UUID().uuidString),
            admins: LastAdminGuard(),
            avatars: AvatarStore(directory: uploads),
            files: try FileJail(root: filesRoot),
            chat: ChatHub()),
        in: app)

    // Appended inside Vapor's defaults: every error from here in is answered by
    // WebErrorMiddleware, as a page or as JSON, before Vapor's own ErrorMiddleware sees it.
    app.middleware.use(CSRFCookieMiddleware { token in
        HTTPCookies.Value(
            string: token, expires: Date(timeIntervalSinceNow: lifetime), maxAge: Int(lifetime),
            path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    })
    app.middleware.use(WebErrorMiddleware())
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(AnonymousSessionGate())
    app.middleware.use(User.sessionAuthenticator())
    app.middleware.use(BlacklistMiddleware())

    let routes = app.grouped(CSRFMiddleware())
    try routes.register(collection: HomeController())
    try routes.register(collection: AccountsController())
    try routes.register(collection: LotteryController())
    try routes.register(collection: UsersAPIController())
    try routes.register(collection: UsersPageController())
    try routes.register(collection: FilesController())
    try routes.register(collection: ChatController(origins: origins, backlog: app.webSocketBacklog))
    try routes.register(collection: AdminController())
}
