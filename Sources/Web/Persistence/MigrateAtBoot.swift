import Fluent
import FluentPostgresDriver
import Vapor

/// Brings the schema up to date when the application boots, before it serves a request.
struct MigrateAtBoot: LifecycleHandler {
    let schema: String?

    func willBootAsync(_ app: Application) async throws {
        if let schema, let sql = app.db as? any SQLDatabase {
            try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
        }
        try await app.autoMigrate()
    }
}
