import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Web

@Suite struct BlacklistTests {
    @Test func aBlacklistedIPGets403OnPagesAndJSONOnTheAPI() async throws {
        try await WebTestApp.run { t in
            try await LiveServer.run(t) { server async throws in
                #expect(try await server.get("/").status == .ok)
                try await BlacklistEntry(kind: .ip, value: "127.0.0.1", reason: "test").save(on: t.app.db)
                let page = try await server.get("/")
                #expect(page.status == .forbidden)
                #expect(page.body.map { String(buffer: $0) }?.contains("Your address is blocked") == true)
                let api = try await server.get("/api/users")
                #expect(api.status == .forbidden)
                let error = try JSONDecoder().decode(ErrorBody.self, from: Data((api.body.map { String(buffer: $0) } ?? "").utf8))
                #expect(error == ErrorBody(status: 403, message: "Your address is blocked on this server."))
                #expect(try await server.get("/lottery").status == .forbidden)
            }
        }
    }

    @Test func anIPEntryForAnotherAddressBlocksNothingHere() async throws {
        try await WebTestApp.run { t in
            try await BlacklistEntry(kind: .ip, value: "203.0.113.7", reason: "test").save(on: t.app.db)
            try await LiveServer.run(t) { server async throws in
                #expect(try await server.get("/").status == .ok)
            }
        }
    }

    @Test func aBlacklistedAccountGets403() async throws {
        try await WebTestApp.run { t in
            let (browser, _) = try await t.loggedIn("mallory")
            #expect(try await browser.get("/lottery").status == .ok)
            try await BlacklistEntry(kind: .account, value: "mallory", reason: "spam").save(on: t.app.db)
            let page = try await browser.get("/lottery")
            #expect(page.status == .forbidden)
            #expect(page.body.string.contains("Your account is blocked"))
            let api = try await browser.get("/api/users")
            #expect(api.status == .forbidden)
            #expect(api.body.string.contains(#""status":403"#))
        }
    }

    @Test func anAdminManagesTheBlacklistFromTheAdminPage() async throws {
        try await WebTestApp.run { t in
            let (admin, _) = try await t.loggedIn("root", role: .admin)
            let (victim, _) = try await t.loggedIn("trent")
            #expect(try await admin.postForm("/admin/blacklist", [("kind", "account"), ("value", "trent"), ("reason", "<i>abuse</i>")]).status == .seeOther)
            #expect(try await admin.postForm("/admin/blacklist", [("kind", "ip"), ("value", "198.51.100.4")]).status == .seeOther)
            let page = try await admin.get("/admin").body.string
            #expect(page.contains("<td>trent</td>"))
            #expect(page.contains("&lt;i&gt;abuse&lt;/i&gt;"))
            #expect(page.contains("<td>198.51.100.4</td>"))
            #expect(try await victim.get("/lottery").status == .forbidden)
            let entry = try #require(try await BlacklistEntry.query(on: t.app.db).filter(\.$value == "trent").first())
            #expect(try await admin.postForm("/admin/blacklist/\(try entry.requireID())/delete", []).status == .seeOther)
            #expect(try await victim.get("/lottery").status == .ok)
        }
    }

    @Test(arguments: [
        ("ip", "999.1.1.1"), ("ip", "localhost"), ("account", "no spaces allowed"), ("bogus", "1.2.3.4"), ("account", "root"),
    ])
    func badBlacklistEntriesAre400(kind: String, value: String) async throws {
        try await WebTestApp.run { t in
            let (admin, _) = try await t.loggedIn("root", role: .admin)
            let response = try await admin.postForm("/admin/blacklist", [("kind", kind), ("value", value)])
            #expect(response.status == .badRequest)
            #expect(response.body.string.contains(#"class="error""#))
            #expect(try await BlacklistEntry.query(on: t.app.db).count() == 0)
        }
    }

    @Test func theAdminPageIsForAdminsOnly() async throws {
        try await WebTestApp.run { t in
            let (user, _) = try await t.loggedIn("uri")
            #expect(try await user.get("/admin").status == .forbidden)
            #expect(try await user.postForm("/admin/blacklist", [("kind", "ip"), ("value", "1.2.3.4")]).status == .forbidden)
            #expect(try await BlacklistEntry.query(on: t.app.db).count() == 0)
            #expect(try await t.app.testing().sendRequest(.GET, "/admin").status == .seeOther)
        }
    }
}
