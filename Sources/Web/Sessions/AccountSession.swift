import Fluent
import Foundation
import Vapor

/// A logged-in browser: the key its `relay-session` cookie carries, the session's data, whose it
/// is, and when it ends unless used again. Rows exist only from a login or a registration on (see
/// `AnonymousSessionGate`), so a stranger's cookies cannot fill the table.
final class AccountSession: Model, @unchecked Sendable {
    static let schema = "account_sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "data") var data: SessionData
    /// The account logged in, so its other sessions can be ended when its password changes.
    @OptionalField(key: "user_id") var userID: UUID?
    /// Moved forward on every request the session makes.
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    init(key: String, data: SessionData, userID: UUID?, expiresAt: Date) {
        self.key = key
        self.data = data
        self.userID = userID
        self.expiresAt = expiresAt
    }

    /// The logged-in user's id, read where Vapor's session authenticator keeps it.
    static func userID(in data: SessionData) -> UUID? {
        Session(data: data).authenticated(User.self)
    }

    /// Deletes every session past its end.
    static func prune(on database: any Database, now: Date = Date()) async throws {
        try await AccountSession.query(on: database).filter(\.$expiresAt <= now).delete()
    }

    /// Ends the account's sessions, all of them or all but the one with key `keeping`.
    static func end(sessionsOf userID: UUID, keeping key: String? = nil, on database: any Database) async throws {
        let query = AccountSession.query(on: database).filter(\.$userID == userID)
        if let key {
            query.filter(\.$key != key)
        }
        try await query.delete()
    }
}
