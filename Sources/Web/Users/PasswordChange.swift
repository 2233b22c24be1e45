import Fluent
import Vapor

/// A password change through the users API. Changing one's own password asks for the current
/// one, so a browser left logged in is not enough to take the account over; an admin resetting
/// someone else's does not. Either way the account's other sessions end, which logs out whoever
/// was using the old password.
enum PasswordChange {
    /// Checks the change and returns the new hash; nothing is saved.
    static func newHash(
        _ password: String, current: String?, of user: User, by actor: User, req: Request
    ) async throws -> String {
        // Counted first: each try costs up to two bcrypt runs, and a wrong current password is a guess.
        try await req.admit(\.passwordChangeLimiter, or: "Too many password changes from your address; wait a minute.")
        try AccountRules.checkPassword(password)
        if actor.id == user.id {
            guard let current else {
                throw Abort(.badRequest, reason: "Give your current password as currentPassword to change it.")
            }
            // Checked like the new one, so the same bcrypt input rules hold for both.
            guard try await req.verifyPassword(current, of: user) else {
                throw Abort(.forbidden, reason: "The current password is wrong.")
            }
        }
        return try await req.password.async.hash(password)
    }

    /// Ends the account's sessions, except the one of this request when it changed its own.
    static func endOtherSessions(of user: User, by actor: User, req: Request) async throws {
        guard let id = user.id else {
            return
        }
        let keep = actor.id == user.id && req.hasSession ? req.session.id?.string : nil
        try await AccountSession.end(sessionsOf: id, keeping: keep, on: req.db)
    }
}
