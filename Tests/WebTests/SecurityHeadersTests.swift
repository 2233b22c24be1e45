import Foundation
import Testing
import VaporTesting
@testable import Web

/// Every response carries the CSP, the referrer policy and nosniff, and no page relies on inline
/// script or style, which that CSP blocks.
@Suite struct SecurityHeadersTests {
    static func expectHeaders(_ response: TestingHTTPResponse, _ path: String) {
        let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
        #expect(csp.contains("frame-ancestors 'none'"), "\(path): \(csp)")
        #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "\(path): \(csp)")
        #expect(response.headers.first(name: "Referrer-Policy") == "same-origin", "\(path)")
        #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
    }

    @Test func everyResponseCarriesTheHeaders() async throws {
        try await WebTestApp.run { t in
            let browser = try TestBrowser(app: t.app)
            let expected: [(String, HTTPStatus)] = [
                ("/", .ok), ("/login", .ok), ("/register", .ok), ("/call/room-1", .ok), ("/call/call.js", .ok),
                ("/css/relay.css", .ok), ("/js/chat.js", .ok), ("/healthz", .ok), ("/metrics", .ok),
                ("/lottery", .seeOther), ("/api/users", .unauthorized), ("/no-such-page", .notFound),
            ]
            for (path, status) in expected {
                let response = try await browser.get(path)
                #expect(response.status == status, "\(path)")
                Self.expectHeaders(response, path)
            }
            let forbidden = try await browser.postForm("/login", [("username", "x")], withCSRF: false)
            #expect(forbidden.status == .forbidden)
            Self.expectHeaders(forbidden, "POST /login without CSRF")
        }
    }

    @Test func onlyOriginsOfHttpUrlsReachConnectSources() {
        #expect(ConnectSources.origin(of: "https://eu-2.example:8443/") == "https://eu-2.example:8443")
        #expect(ConnectSources.origin(of: "http://127.0.0.1:8082") == "http://127.0.0.1:8082")
        #expect(ConnectSources.origin(of: "HTTPS://node.example") == "https://node.example")
        #expect(ConnectSources.origin(of: "http://[::1]:8080")?.hasPrefix("http://[::1]") == true)
        for refused in ["javascript:alert(1)", "ftp://node.example", "https://", "not a url", "https://a.example;script-src *"] {
            #expect(ConnectSources.origin(of: refused) == nil, "\(refused)")
        }
        #expect(SecurityHeadersMiddleware.contentSecurityPolicy(connectingTo: ["https://eu-2.example"])
            .contains("connect-src 'self' https://eu-2.example; "))
    }

    @Test func signalingOnlyServerCarriesTheHeadersToo() async throws {
        let app = try await Application.make(.testing)
        do {
            try configure(app, WebConfiguration())
            let tester = try app.testing()
            Self.expectHeaders(try await tester.sendRequest(.GET, "/healthz"), "/healthz")
            Self.expectHeaders(try await tester.sendRequest(.GET, "/no-such-page"), "/no-such-page")
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// What the CSP forbids, looked for in every page as served.
    static let inline = try! NSRegularExpression(
        pattern: #"<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style|javascript:"#, options: [.caseInsensitive])

    @Test func noPageHasInlineScriptHandlersOrStyles() async throws {
        try await WebTestApp.run { t in
            try await t.makeUser("dana")
            let (browser, _) = try await t.loggedIn("ida", role: .admin)
            var pages = ["/", "/lottery", "/lottery/history", "/lottery/draws", "/users", "/chat", "/files", "/admin", "/call/room-1", "/no-such-page"]
            pages += ["/login", "/register"].map { $0 + "?anonymous" }
            let anonymous = try TestBrowser(app: t.app)
            for page in pages {
                let response = page.hasSuffix("?anonymous")
                    ? try await anonymous.get(String(page.dropLast("?anonymous".count)))
                    : try await browser.get(page)
                let html = response.body.string
                #expect(html.contains("<"), "\(page) rendered nothing")
                let range = NSRange(html.startIndex..., in: html)
                let found = Self.inline.matches(in: html, range: range).compactMap { Range($0.range, in: html).map { String(html[$0]) } }
                #expect(found.isEmpty, "\(page): \(found)")
            }
        }
    }
}
