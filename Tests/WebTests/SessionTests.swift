import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Web

/// Sessions begin at login or registration only, end after 14 days unused, and expired ones are
/// swept away.
@Suite struct SessionTests {
    @Test func anUnknownSessionCookieInsertsNoRowAndIsExpired() async throws {
        try await WebTestApp.run { t in
            let browser = try TestBrowser(app: t.app)
            for path in ["/", "/login", "/lottery"] {
                browser.setCookie("relay-session", "made-up-\(path)")
                try await browser.get(path)
                #expect(browser.sessionCookie == nil, "\(path) kept or replaced the made-up cookie")
            }
            // An error answer (401 here) leaves cookies alone, but stores nothing either.
            browser.setCookie("relay-session", "made-up-api")
            #expect(try await browser.get("/api/users").status == .unauthorized)
            #expect(try await AccountSession.query(on: t.app.db).count() == 0)
        }
    }

    @Test func anonymousVisitsAndFailedLoginsCreateNoSession() async throws {
        try await WebTestApp.run { t in
            try await t.makeUser("ann")
            let browser = try TestBrowser(app: t.app)
            try await browser.get("/")
            try await browser.get("/register")
            let failed = try await browser.postForm("/login", [("username", "ann"), ("password", "wrong password")])
            #expect(failed.status == .unauthorized)
            #expect(browser.sessionCookie == nil)
            #expect(try await AccountSession.query(on: t.app.db).count() == 0)
            try await browser.logIn("ann", password: "correct horse")
            let sessions = try await AccountSession.query(on: t.app.db).all()
            #expect(sessions.count == 1)
            #expect(sessions.first?.userID == (try await User.query(on: t.app.db).first())?.id)
        }
    }

    @Test func registrationStartsASession() async throws {
        try await WebTestApp.run { t in
            let browser = try TestBrowser(app: t.app)
            let response = try await browser.postForm("/register", [("username", "abe"), ("password", "long enough")])
            #expect(response.status == .seeOther)
            #expect(browser.sessionCookie != nil)
            #expect(try await AccountSession.query(on: t.app.db).count() == 1)
            #expect(try await browser.get("/lottery").status == .ok)
        }
    }

    @Test func aSessionUnusedForItsLifetimeEndsAndAUsedOneIsExtended() async throws {
        try await WebTestApp.run { t in
            let (browser, _) = try await t.loggedIn("ari")
            let session = try #require(try await AccountSession.query(on: t.app.db).first())
            let lifetime = t.configuration.sessionIdleLifetime
            #expect(lifetime == 14 * 24 * 3600)
            #expect(session.expiresAt > Date(timeIntervalSinceNow: lifetime - 60))

            session.expiresAt = Date(timeIntervalSinceNow: 60)
            try await session.save(on: t.app.db)
            #expect(try await browser.get("/lottery").status == .ok)
            let extended = try #require(try await AccountSession.query(on: t.app.db).first())
            #expect(extended.expiresAt > Date(timeIntervalSinceNow: lifetime - 60))

            extended.expiresAt = Date(timeIntervalSinceNow: -1)
            try await extended.save(on: t.app.db)
            let after = try await browser.get("/lottery")
            #expect(after.status == .seeOther)
            #expect(after.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    @Test func expiredSessionsArePrunedAtBootAndAtLogin() async throws {
        try await WebTestApp.run { t in
            try await t.makeUser("ava")
            func plant(_ key: String, expiresIn seconds: TimeInterval) async throws {
                try await AccountSession(key: key, data: SessionData(), userID: nil, expiresAt: Date(timeIntervalSinceNow: seconds))
                    .save(on: t.app.db)
            }
            try await plant("old-1", expiresIn: -10)
            try await plant("live-1", expiresIn: 3600)
            let pruner = SessionPruner()
            try await pruner.didBootAsync(t.app)
            await pruner.shutdownAsync(t.app)
            #expect(try await AccountSession.query(on: t.app.db).all().map(\.key) == ["live-1"])

            try await plant("old-2", expiresIn: -10)
            let browser = try TestBrowser(app: t.app)
            try await browser.logIn("ava", password: "correct horse")
            let keys = Set(try await AccountSession.query(on: t.app.db).all().map(\.key))
            #expect(keys.count == 2 && keys.contains("live-1") && !keys.contains("old-2"))
        }
    }

    @Test func logoutDeletesTheSessionRow() async throws {
        try await WebTestApp.run { t in
            let (browser, _) = try await t.loggedIn("axel")
            #expect(try await AccountSession.query(on: t.app.db).count() == 1)
            try await browser.postForm("/logout", [])
            #expect(try await AccountSession.query(on: t.app.db).count() == 0)
            #expect(browser.sessionCookie == nil)
        }
    }
}
