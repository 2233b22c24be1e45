import ArgumentParser
import Foundation
import Web

/// Command-line options of the web application, shared by `serve` and `admin create`.
/// The database comes from `DATABASE_URL` (PostgreSQL) when set, else SQLite in the data folder.
struct WebOptions: ParsableArguments {
    @Option(help: "Folder for uploaded avatars and the SQLite database (unless DATABASE_URL names a PostgreSQL server).")
    var dataDir: String = "data"

    @Option(help: "The folder the read-only file explorer shows (default: <data-dir>/shared).")
    var filesRoot: String?

    @Option(help: "Folder holding Resources/Views and Public (default: the working directory).")
    var resourcesDir: String?

    @Flag(help: "Mark the session and CSRF cookies Secure (HTTPS only); for a server behind a TLS proxy.")
    var cookieSecure = false

    func configuration() -> WebApplicationConfiguration {
        WebApplicationConfiguration(
            dataDirectory: dataDir,
            filesRoot: filesRoot,
            database: .from(databaseURL: ProcessInfo.processInfo.environment["DATABASE_URL"], dataDirectory: dataDir),
            resourcesDirectory: resourcesDir,
            cookieSecure: cookieSecure)
    }
}
