import Fluent
import Testing
import VaporTesting
@testable import Web

/// bcrypt reads 72 bytes at most and stops at a NUL: a new password past either is refused with
/// a clear message, on the register form and in the users API, instead of being cut silently.
@Suite struct PasswordRulesTests {
    static let refused = [
        String(repeating: "a", count: 73),
        String(repeating: "é", count: 37),  // 37 characters, 74 bytes
        String(repeating: "a", count: 72) + "b",
        "password\u{0}tail",
    ]

    @Test(arguments: refused)
    func registerRefusesAPasswordBcryptWouldCut(password: String) async throws {
        try await WebTestApp.run { t in
            let browser = try TestBrowser(app: t.app)
            let response = try await browser.postForm("/register", [("username", "bella"), ("password", password)])
            #expect(response.status == .badRequest)
            #expect(response.body.string.contains(#"class="error""#))
            #expect(response.body.string.contains("72 bytes") || response.body.string.contains("NUL"))
            #expect(try await User.query(on: t.app.db).count() == 0)
        }
    }

    @Test(arguments: [String(repeating: "a", count: 72), String(repeating: "é", count: 36), "eight ch"])
    func registerTakesAPasswordOfUpTo72Bytes(password: String) async throws {
        try await WebTestApp.run { t in
            let browser = try TestBrowser(app: t.app)
            let response = try await browser.postForm("/register", [("username", "bruno"), ("password", password)])
            #expect(response.status == .seeOther)
            let user = try #require(try await User.query(on: t.app.db).first())
            #expect(try t.app.password.verify(password, created: user.passwordHash))
        }
    }

    @Test func theUsersAPIRefusesThemOnCreateAndChange() async throws {
        try await WebTestApp.run { t in
            let (admin, user) = try await t.loggedIn("boss", role: .admin)
            let long = String(repeating: "a", count: 73)
            let create = try await admin.sendJSON(.POST, "/api/users", #"{"username":"newbie","password":"\#(long)"}"#)
            #expect(create.status == .badRequest)
            #expect(create.body.string.contains("72 bytes"))
            let id = try user.requireID().uuidString
            let change = try await admin.sendJSON(
                .PATCH, "/api/users/\(id)", #"{"password":"with\u0000nul","currentPassword":"correct horse"}"#)
            #expect(change.status == .badRequest)
            #expect(change.body.string.contains("NUL"))
        }
    }
}
