import Fluent
import Testing
import VaporTesting
@testable import Web

/// Registrations and password changes, each a bcrypt run or two, are counted per address like
/// logins; past the limit the answer is 429 and no bcrypt runs.
@Suite struct AccountRateLimitTests {
    @Test func registrationsAreRateLimitedPerAddress() async throws {
        try await WebTestApp.run(loginAttemptsPerMinute: 3) { t in
            let browser = try TestBrowser(app: t.app)
            for index in 0..<3 {
                let response = try await browser.postForm("/register", [("username", "reg\(index)"), ("password", "long enough")])
                #expect(response.status == .seeOther)
                // As a browser does: the page after each step hands out the token for the next.
                try await browser.get("/")
                try await browser.postForm("/logout", [])
                try await browser.get("/")
            }
            let limited = try await browser.postForm("/register", [("username", "reg9"), ("password", "long enough")])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.body.string.contains("wait a minute"))
            #expect(try await User.query(on: t.app.db).count() == 3)
            // A count of its own: logins still go through.
            try await browser.logIn("reg0", password: "long enough")
        }
    }

    @Test func passwordChangesAreRateLimitedPerAddress() async throws {
        try await WebTestApp.run(loginAttemptsPerMinute: 3) { t in
            let (browser, user) = try await t.loggedIn("rita")
            for _ in 0..<3 {
                let guess = try await PasswordChangeTests.change(browser, user, to: "brand new pass", current: "a guess")
                #expect(guess.status == .forbidden)
            }
            let limited = try await PasswordChangeTests.change(browser, user, to: "brand new pass", current: "correct horse")
            #expect(limited.status == .tooManyRequests)
            let unchanged = try #require(try await User.find(user.id, on: t.app.db))
            #expect(try t.app.password.verify("correct horse", created: unchanged.passwordHash))
            // Edits without a password are not counted.
            let id = try user.requireID().uuidString
            #expect(try await browser.sendJSON(.PATCH, "/api/users/\(id)", #"{"displayName":"Rita R."}"#).status == .ok)
        }
    }

    /// Guesses from many addresses meet the account's own limit: wrong passwords are counted per
    /// account, and past the limit the account answers 429 before bcrypt runs, even to the right
    /// password; other accounts and right passwords are not counted.
    @Test func wrongPasswordsAreLimitedPerAccount() async throws {
        try await WebTestApp.run(adjust: { $0.passwordGuessesPerMinutePerAccount = 3 }) { t in
            let (owner, victor) = try await t.loggedIn("victor")
            _ = try await t.makeUser("wendy")
            let guesser = try TestBrowser(app: t.app)
            for _ in 0..<3 {
                try await guesser.logIn("wendy", password: "correct horse")
                try await guesser.postForm("/logout", [])
                try await guesser.get("/login")
            }
            for guess in ["guess one", "guess two"] {
                #expect(try await guesser.postForm("/login", [("username", "victor"), ("password", guess)]).status == .unauthorized)
            }
            // A wrong current password in a change is a guess at the same account.
            let change = try await PasswordChangeTests.change(owner, victor, to: "brand new pass", current: "guess three")
            #expect(change.status == .forbidden)
            let limited = try await guesser.postForm("/login", [("username", "victor"), ("password", "correct horse")])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.body.string.contains("wait a minute"))
            // Names that are no account are not counted, and another account still logs in.
            for _ in 0..<4 {
                #expect(try await guesser.postForm("/login", [("username", "nobody"), ("password", "x")]).status == .unauthorized)
            }
            try await guesser.logIn("wendy", password: "correct horse")
        }
    }
}
