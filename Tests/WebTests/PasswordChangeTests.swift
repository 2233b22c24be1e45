import Fluent
import Testing
import VaporTesting
@testable import Web

/// Changing one's own password asks for the current one and logs out the account's other
/// browsers; an admin's reset logs out all of them.
@Suite struct PasswordChangeTests {
    static func change(_ browser: TestBrowser, _ user: User, to password: String, current: String?) async throws -> TestingHTTPResponse {
        let id = try user.requireID().uuidString
        let currentField = current.map { #","currentPassword":"\#($0)""# } ?? ""
        return try await browser.sendJSON(.PATCH, "/api/users/\(id)", #"{"password":"\#(password)"\#(currentField)}"#)
    }

    @Test func changingOnesOwnPasswordAsksForTheCurrentOne() async throws {
        try await WebTestApp.run { t in
            let (browser, user) = try await t.loggedIn("pia")
            let missing = try await Self.change(browser, user, to: "brand new pass", current: nil)
            #expect(missing.status == .badRequest)
            #expect(missing.body.string.contains("currentPassword"))
            let wrong = try await Self.change(browser, user, to: "brand new pass", current: "not the password")
            #expect(wrong.status == .forbidden)
            #expect(wrong.body.string.contains("current password is wrong"))
            let unchanged = try #require(try await User.find(user.id, on: t.app.db))
            #expect(try t.app.password.verify("correct horse", created: unchanged.passwordHash))

            let right = try await Self.change(browser, user, to: "brand new pass", current: "correct horse")
            #expect(right.status == .ok)
            let changed = try #require(try await User.find(user.id, on: t.app.db))
            #expect(try t.app.password.verify("brand new pass", created: changed.passwordHash))
        }
    }

    @Test func changingOnesOwnPasswordEndsTheOtherSessionsOnly() async throws {
        try await WebTestApp.run { t in
            let (browser, user) = try await t.loggedIn("pat")
            let elsewhere = try TestBrowser(app: t.app)
            try await elsewhere.logIn("pat", password: "correct horse")
            let (bystander, _) = try await t.loggedIn("pam")
            #expect(try await AccountSession.query(on: t.app.db).count() == 3)

            #expect(try await Self.change(browser, user, to: "brand new pass", current: "correct horse").status == .ok)
            #expect(try await browser.get("/lottery").status == .ok)
            #expect(try await elsewhere.get("/lottery").status == .seeOther)
            #expect(try await bystander.get("/lottery").status == .ok)
            #expect(try await AccountSession.query(on: t.app.db).count() == 2)
        }
    }

    @Test func anAdminResetNeedsNoCurrentPasswordAndEndsAllTheAccountsSessions() async throws {
        try await WebTestApp.run { t in
            let (admin, _) = try await t.loggedIn("root", role: .admin)
            let (victim, user) = try await t.loggedIn("pete")
            #expect(try await Self.change(admin, user, to: "reset by admin", current: nil).status == .ok)
            #expect(try await victim.get("/lottery").status == .seeOther)
            #expect(try await admin.get("/admin").status == .ok)
        }
    }
}
