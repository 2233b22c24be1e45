import Fluent
import FluentPostgresDriver
import Foundation
import Testing
import VaporTesting
@testable import Web

/// A web application for one test: its own data folder and shared folder under /tmp, views from
/// the repository, and its own database — an SQLite file, or, when `RELAY_TEST_DATABASE_URL`
/// names a PostgreSQL server, a fresh schema there that is dropped afterwards.
struct WebTestApp {
    let app: Application
    let directory: String
    let configuration: WebApplicationConfiguration
    /// The PostgreSQL schema of its tables (unused on SQLite).
    let schema: String

    var filesRoot: String { directory + "/shared" }
    var uploads: String { directory + "/data/uploads" }

    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

    static var usesPostgres: Bool {
        postgresURL != nil
    }

    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["RELAY_TEST_DATABASE_URL"], !url.isEmpty else {
            return nil
        }
        return url
    }

    static func run<T>(
        lottery: LotteryRules = LotteryRules(),
        loginAttemptsPerMinute: Int = 100,
        origins: OriginPolicy = OriginPolicy(),
        sharingSchemaOf owner: WebTestApp? = nil,
        cluster: ClusterConfiguration? = nil,
        adjust: (inout WebApplicationConfiguration) -> Void = { _ in },
        _ body: (WebTestApp) async throws -> T
    ) async throws -> T {
        let directory = NSTemporaryDirectory() + "relay-webtest-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory + "/shared", withIntermediateDirectories: true)
        // A second application on another's schema plays another server on the same database
        // (a second node of a cluster); the schema's owner drops it.
        let schema = owner?.schema ?? "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let dropsSchema = owner == nil
        let database: DatabaseLocation = postgresURL.map { .postgres(url: $0, schema: schema) }
            ?? .sqliteFile(directory + "/data/relay.sqlite")
        var configuration = WebApplicationConfiguration(
            dataDirectory: directory + "/data",
            filesRoot: directory + "/shared",
            database: database,
            lottery: lottery,
            loginAttemptsPerMinute: loginAttemptsPerMinute,
            resourcesDirectory: repositoryRoot,
            bcryptCost: 4)
        adjust(&configuration)
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        let result: T
        do {
            try configure(app, WebConfiguration(webApp: configuration, origins: origins, cluster: cluster))
            try await app.asyncBoot()
            result = try await body(WebTestApp(app: app, directory: directory, configuration: configuration, schema: schema))
        } catch {
            await cleanUp(app, directory: directory, schema: dropsSchema ? schema : nil)
            throw error
        }
        await cleanUp(app, directory: directory, schema: dropsSchema ? schema : nil)
        return result
    }

    /// The reason cluster tests give for not running on SQLite.
    static let clusterNeedsPostgres: Comment =
        "the cluster's directory lives in PostgreSQL (a relay refuses --cluster on SQLite); runs in the PostgreSQL pass of scripts/test.sh, with RELAY_TEST_DATABASE_URL"

    /// A cluster node for a test application on PostgreSQL, beating fast so a test need not wait.
    static func clusterNode(
        _ nodeID: String, publicURL: String = "http://127.0.0.1:8080", heartbeat: Duration = .milliseconds(200),
        lease: Duration = .seconds(3)
    ) throws -> ClusterConfiguration {
        try ClusterConfiguration(
            nodeID: nodeID, publicURL: publicURL, database: .postgres(url: postgresURL ?? ""),
            heartbeatInterval: heartbeat, lease: lease)
    }

    private static func cleanUp(_ app: Application, directory: String, schema: String?) async {
        // A cluster node leaves the directory while its table is still there.
        await app.clusterMember?.leave()
        if usesPostgres, let schema, let sql = app.db as? any SQLDatabase {
            try? await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
        }
        try? await app.asyncShutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// An account made straight in the database.
    @discardableResult
    func makeUser(_ username: String, password: String = "correct horse", role: UserRole = .user, displayName: String? = nil) async throws -> User {
        let user = User(
            username: username, displayName: displayName ?? username,
            passwordHash: try app.password.hash(password), role: role)
        try await user.save(on: app.db)
        return user
    }

    /// A browser logged in as a new account of that role.
    func loggedIn(_ username: String, role: UserRole = .user) async throws -> (TestBrowser, User) {
        let user = try await makeUser(username, role: role)
        let browser = try TestBrowser(app: app)
        try await browser.logIn(username, password: "correct horse")
        return (browser, user)
    }
}
