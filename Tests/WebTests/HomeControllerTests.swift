import Testing
import VaporTesting
@testable import Web

@Suite struct HomeControllerTests {
    @Test func theHomePageLinksEverythingInTheSharedLayout() async throws {
        try await WebTestApp.run { t in
            let browser = try TestBrowser(app: t.app)
            let response = try await browser.get("/")
            #expect(response.status == .ok)
            let html = response.body.string
            for link in ["/call/", "/chat", "/lottery", "/users", "/files", "/login", "/register"] {
                #expect(html.contains(#"href="\#(link)""#), "missing link to \(link)")
            }
            #expect(html.contains(#"id="call-form""#))
            #expect(html.contains(#"<link rel="stylesheet" href="/css/relay.css">"#))
            #expect(!html.contains(#"href="/admin""#))
            #expect(browser.csrf?.count == 43)
        }
    }

    @Test func adminsSeeTheAdminLinks() async throws {
        try await WebTestApp.run { t in
            let (admin, _) = try await t.loggedIn("root", role: .admin)
            let html = try await admin.get("/").body.string
            #expect(html.contains(#"href="/admin""#))
            #expect(html.contains(#"href="/lottery/draws""#))
            #expect(html.contains("@root"))
        }
    }

    @Test func theStaticFilesAreServed() async throws {
        try await WebTestApp.run { t in
            for path in ["/css/relay.css", "/js/chat.js", "/js/users.js", "/js/home.js"] {
                let response = try await t.app.testing().sendRequest(.GET, path)
                #expect(response.status == .ok, "\(path)")
            }
            let chat = try await t.app.testing().sendRequest(.GET, "/js/chat.js").body.string
            #expect(chat.contains("textContent") && !chat.contains("innerHTML"))
        }
    }

    @Test func unknownPagesGetTheErrorPageAndUnknownAPIPathsJSON() async throws {
        try await WebTestApp.run { t in
            let page = try await t.app.testing().sendRequest(.GET, "/no-such-page")
            #expect(page.status == .notFound)
            #expect(page.headers.contentType == .html)
            #expect(page.body.string.contains(#"id="error-message""#))
            let api = try await t.app.testing().sendRequest(.GET, "/api/no-such-thing")
            #expect(api.status == .notFound)
            #expect(api.body.string.contains(#""status":404"#))
        }
    }

    @Test func theRegisterAndLoginFormsCarryTheToken() async throws {
        try await WebTestApp.run { t in
            let browser = try TestBrowser(app: t.app)
            for path in ["/register", "/login?next=/lottery"] {
                let html = try await browser.get(path).body.string
                #expect(html.contains(#"<input type="hidden" name="csrf" value="\#(browser.csrf ?? "-")">"#))
            }
            #expect(try await browser.get("/login?next=/lottery").body.string.contains(#"name="next" value="/lottery""#))
        }
    }

    @Test func loginGoesBackToThePageThatAskedForIt() async throws {
        try await WebTestApp.run { t in
            try await t.makeUser("kai")
            let browser = try TestBrowser(app: t.app)
            let response = try await browser.postForm(
                "/login", [("username", "kai"), ("password", "correct horse"), ("next", "/lottery/history")])
            #expect(response.headers.first(name: .location) == "/lottery/history")
        }
    }
}
