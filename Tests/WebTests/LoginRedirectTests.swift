import Testing
import VaporTesting
@testable import Web

/// `/login?next=` sends the browser on only to a path of this site; anything a browser could
/// read as another host sends it to `/`.
@Suite struct LoginRedirectTests {
    static let offSite = [
        "/%09/evil.example", "/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example",
        "/%5Cevil.example", "/%2F/evil.example", "%2F%2Fevil.example", "https://evil.example",
        "javascript:alert(1)", "evil.example", "",
    ]

    @Test(arguments: offSite)
    func anOffSiteNextRedirectsHome(next: String) async throws {
        try await WebTestApp.run { t in
            try await t.makeUser("nina")
            let browser = try TestBrowser(app: t.app)
            let page = try await browser.get("/login?next=" + TestBrowser.encode(next))
            #expect(page.status == .ok)
            #expect(!page.body.string.contains("evil.example"))
            let response = try await browser.postForm(
                "/login", [("username", "nina"), ("password", "correct horse"), ("next", next)])
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/")
        }
    }

    @Test(arguments: ["/lottery", "/chat?room=team-1", "/users/%C3%A9", "/files/a%20b"])
    func aSameSitePathIsFollowed(next: String) async throws {
        try await WebTestApp.run { t in
            try await t.makeUser("nora")
            let browser = try TestBrowser(app: t.app)
            let response = try await browser.postForm(
                "/login", [("username", "nora"), ("password", "correct horse"), ("next", next)])
            #expect(response.headers.first(name: .location) == next)
        }
    }
}
