import Fluent
import Testing
import VaporTesting
@testable import Web

@Suite struct AccountsControllerTests {
    @Test func registerCreatesAUserWithABcryptHashAndLogsIn() async throws {
        try await WebTestApp.run { t in
            let browser = try TestBrowser(app: t.app)
            let response = try await browser.postForm(
                "/register", [("username", "alice"), ("displayName", "Alice A."), ("password", "s3cret-pass")])
            #expect(response.status == .seeOther)
            let user = try #require(try await User.query(on: t.app.db).filter(\.$username == "alice").first())
            #expect(user.role == .user)
            #expect(user.passwordHash.hasPrefix("$2"))
            #expect(!user.passwordHash.contains("s3cret-pass"))
            let home = try await browser.get("/")
            #expect(home.body.string.contains("@alice"))
        }
    }

    @Test func sessionAndCSRFCookiesAreHttpOnlyAndSameSiteLax() async throws {
        try await WebTestApp.run { t in
            try await t.makeUser("amy")
            let browser = try TestBrowser(app: t.app)
            let form = try await browser.get("/login")
            let csrf = try #require(form.headers[.setCookie].first { $0.hasPrefix("relay-csrf=") })
            #expect(csrf.contains("HttpOnly") && csrf.contains("SameSite=Lax"))
            let login = try await browser.postForm("/login", [("username", "amy"), ("password", "correct horse")])
            let session = try #require(login.headers[.setCookie].first { $0.hasPrefix("relay-session=") })
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Lax"))
            // Plain HTTP by default: a Secure cookie would be dropped by the browser.
            #expect(!csrf.contains("Secure") && !session.contains("Secure"))
        }
    }

    @Test func cookieSecureMarksBothCookiesSecure() async throws {
        try await WebTestApp.run(adjust: { $0.cookieSecure = true }) { t in
            try await t.makeUser("ben")
            let browser = try TestBrowser(app: t.app)
            let form = try await browser.get("/login")
            let csrf = try #require(form.headers[.setCookie].first { $0.hasPrefix("relay-csrf=") })
            #expect(csrf.contains("; Secure"))
            let login = try await browser.postForm("/login", [("username", "ben"), ("password", "correct horse")])
            let session = try #require(login.headers[.setCookie].first { $0.hasPrefix("relay-session=") })
            #expect(session.contains("; Secure"))
        }
    }

    @Test(arguments: [
        ("al", "long-enough-1", HTTPStatus.badRequest),
        ("bob", "short", .badRequest),
        ("bob robert", "long-enough-1", .badRequest),
        ("taken", "long-enough-1", .conflict),
    ])
    func registerRefusesBadInput(username: String, password: String, status: HTTPStatus) async throws {
        try await WebTestApp.run { t in
            try await t.makeUser("taken")
            let browser = try TestBrowser(app: t.app)
            let response = try await browser.postForm("/register", [("username", username), ("password", password)])
            #expect(response.status == status)
            #expect(response.body.string.contains(#"class="error""#))
            #expect(try await User.query(on: t.app.db).count() == 1)
        }
    }

    @Test func loginWithAWrongPasswordIs401AndNotLoggedIn() async throws {
        try await WebTestApp.run { t in
            try await t.makeUser("carol")
            let browser = try TestBrowser(app: t.app)
            let response = try await browser.postForm("/login", [("username", "carol"), ("password", "wrong password")])
            #expect(response.status == .unauthorized)
            #expect(response.body.string.contains("Wrong username or password."))
            #expect(try await browser.get("/lottery").status == .seeOther)
        }
    }

    @Test func loginWithoutTheCSRFTokenIs403() async throws {
        try await WebTestApp.run { t in
            try await t.makeUser("dave")
            let browser = try TestBrowser(app: t.app)
            let response = try await browser.postForm(
                "/login", [("username", "dave"), ("password", "correct horse")], withCSRF: false)
            #expect(response.status == .forbidden)
            #expect(response.body.string.contains("CSRF"))
            let forged = try await browser.postForm(
                "/login", [("username", "dave"), ("password", "correct horse"), ("csrf", "forged-token")], withCSRF: false)
            #expect(forged.status == .forbidden)
        }
    }

    @Test func loginAttemptsAreRateLimitedPerAddress() async throws {
        try await WebTestApp.run(loginAttemptsPerMinute: 3) { t in
            try await t.makeUser("erin")
            let browser = try TestBrowser(app: t.app)
            for _ in 0..<3 {
                let response = try await browser.postForm("/login", [("username", "erin"), ("password", "guess-guess")])
                #expect(response.status == .unauthorized)
            }
            let limited = try await browser.postForm("/login", [("username", "erin"), ("password", "correct horse")])
            #expect(limited.status == .tooManyRequests)
        }
    }

    @Test func loginFollowsOnlyLocalNextPaths() {
        #expect(LoginRedirect.target("/lottery") == "/lottery")
        #expect(LoginRedirect.target("//evil.example/") == "/")
        #expect(LoginRedirect.target("https://evil.example/") == "/")
        #expect(LoginRedirect.target(nil) == "/")
    }

    @Test func loginGivesTheSessionANewIdAndToken() async throws {
        try await WebTestApp.run { t in
            try await t.makeUser("fred")
            let browser = try TestBrowser(app: t.app)
            try await browser.get("/login")
            let (cookieBefore, tokenBefore) = (browser.sessionCookie, browser.csrf)
            try await browser.logIn("fred", password: "correct horse")
            #expect(browser.sessionCookie != nil && browser.sessionCookie != cookieBefore)
            #expect(browser.csrf != nil && browser.csrf != tokenBefore)
            #expect(try await AccountSession.query(on: t.app.db).count() == 1)
        }
    }

    @Test func logoutEndsTheSession() async throws {
        try await WebTestApp.run { t in
            let (browser, _) = try await t.loggedIn("frank")
            #expect(try await browser.get("/lottery").status == .ok)
            #expect(try await browser.postForm("/logout", []).status == .seeOther)
            #expect(try await browser.get("/lottery").status == .seeOther)
        }
    }

    @Test func adminCreateMakesAnAdministratorOrPromotesAnAccount() async throws {
        try await WebTestApp.run { t in
            try await t.makeUser("grace")
            try await AdministratorAccounts.create(username: "grace", password: "new password!", on: t.app)
            try await AdministratorAccounts.create(username: "heidi", password: "another one", on: t.app)
            let admins = try await User.query(on: t.app.db).filter(\.$roleName == "admin").sort(\.$username).all()
            #expect(admins.map(\.username) == ["grace", "heidi"])
            let browser = try TestBrowser(app: t.app)
            try await browser.logIn("grace", password: "new password!")
            #expect(try await browser.get("/admin").status == .ok)
        }
    }
}
