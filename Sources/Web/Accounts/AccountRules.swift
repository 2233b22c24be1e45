import Foundation
import Vapor

/// What a username, a password and a display name may be, shared by the register form and the
/// users API so both refuse the same things with the same words.
enum AccountRules {
    static let usernameLength = 3...32
    static let minimumPasswordLength = 8
    /// bcrypt reads at most 72 bytes of a password and stops at the first NUL, so past either,
    /// different passwords would hash alike: they are refused rather than silently cut.
    static let maximumPasswordBytes = 72
    static let displayNameLength = 1...64

    static func checkUsername(_ username: String) throws {
        guard usernameLength.contains(username.count),
              username.unicodeScalars.allSatisfy({ allowedInUsername.contains($0) }) else {
            throw Abort(.badRequest, reason: "A username is 3 to 32 letters, digits, dots, dashes or underscores.")
        }
    }

    /// For a new password only: a login checks whatever it is given against the stored hash, so
    /// an account made under older rules can still log in.
    static func checkPassword(_ password: String) throws {
        guard !password.unicodeScalars.contains("\0") else {
            throw Abort(.badRequest, reason: "A password may not contain a NUL character.")
        }
        guard password.count >= minimumPasswordLength, password.utf8.count <= maximumPasswordBytes else {
            throw Abort(.badRequest, reason: "A password is at least 8 characters and at most 72 bytes long: 72 plain letters, digits or signs; an accented letter takes 2 bytes, other scripts and emoji up to 4.")
        }
    }

    /// Any text is allowed — it is escaped wherever it is shown — but not control characters.
    static func checkDisplayName(_ name: String) throws {
        guard displayNameLength.contains(name.count),
              !name.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw Abort(.badRequest, reason: "A display name is 1 to 64 characters, without control characters.")
        }
    }

    private static let allowedInUsername = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
}
