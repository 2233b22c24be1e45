import Foundation
import Vapor

/// What a username, a password and a display name may be, shared by the register form and the
/// users API so both refuse the same things with the same words.
enum AccountRules {
    static let usernameLength = 3...32
    static let passwordLength = 8...128
    static let displayNameLength = 1...64

    static func checkUsername(_ username: String) throws {
        guard usernameLength.contains(username.count),
              username.unicodeScalars.allSatisfy({ allowedInUsername.contains($0) }) else {
            throw Abort(.badRequest, reason: "A username is 3 to 32 letters, digits, dots, dashes or underscores.")
        }
    }

    static func checkPassword(_ password: String) throws {
        guard passwordLength.contains(password.count) else {
            throw Abort(.badRequest, reason: "A password is 8 to 128 characters long.")
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
