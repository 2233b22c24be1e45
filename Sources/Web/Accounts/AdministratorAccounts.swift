import Fluent
import Vapor

/// Creates the first administrator from the command line (`relay admin create`), or promotes and
/// resets an existing account of that name.
public enum AdministratorAccounts {
    public static func create(username: String, password: String, on app: Application) async throws {
        try AccountRules.checkUsername(username)
        try AccountRules.checkPassword(password)
        try await app.asyncBoot()
        let hash = try app.password.hash(password)
        if let existing = try await User.query(on: app.db).filter(\.$username == username).first() {
            existing.passwordHash = hash
            existing.role = .admin
            try await existing.save(on: app.db)
        } else {
            try await User(username: username, displayName: username, passwordHash: hash, role: .admin).save(on: app.db)
        }
    }
}
