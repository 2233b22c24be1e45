import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Web

@Suite struct UsersAPIControllerTests {
    private func decode<T: Decodable>(_ type: T.Type, _ response: TestingHTTPResponse) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(response.body.string.utf8))
    }

    @Test func listIsPaginatedAndSorted() async throws {
        try await WebTestApp.run { t in
            let (admin, _) = try await t.loggedIn("admin", role: .admin)
            for index in 1...24 {
                try await t.makeUser(String(format: "user%02d", index))
            }
            let response = try await admin.get("/api/users?page=3&per=10")
            #expect(response.status == .ok)
            let page = try decode(UserListResponse.self, response)
            #expect(page.total == 25)
            #expect(page.page == 3 && page.per == 10)
            #expect(page.items.map(\.username) == ["user20", "user21", "user22", "user23", "user24"])
            #expect(!response.body.string.contains("password"))
        }
    }

    @Test(arguments: ["page=0", "per=0", "per=101", "page=abc"])
    func badPagingIsAJSON400(query: String) async throws {
        try await WebTestApp.run { t in
            let (admin, _) = try await t.loggedIn("admin", role: .admin)
            let response = try await admin.get("/api/users?\(query)")
            #expect(response.status == .badRequest)
            let error = try decode(ErrorBody.self, response)
            #expect(error.status == 400)
            #expect(!error.message.isEmpty)
        }
    }

    @Test func theAPINeedsALoginAndAnswersInJSON() async throws {
        try await WebTestApp.run { t in
            let response = try await t.app.testing().sendRequest(.GET, "/api/users")
            #expect(response.status == .unauthorized)
            #expect(try decode(ErrorBody.self, response) == ErrorBody(status: 401, message: "Log in first."))
        }
    }

    @Test func getFindsAUserAndUnknownIdsAre404() async throws {
        try await WebTestApp.run { t in
            let (browser, me) = try await t.loggedIn("ivy")
            let found = try await browser.get("/api/users/\(try me.requireID())")
            #expect(found.status == .ok)
            #expect(try decode(UserResponse.self, found).username == "ivy")
            let unknown = try await browser.get("/api/users/\(UUID())")
            #expect(unknown.status == .notFound)
            #expect(try decode(ErrorBody.self, unknown).message == "No such user.")
            #expect(try await browser.get("/api/users/not-a-uuid").status == .notFound)
        }
    }

    @Test func anAdminCreatesAUser() async throws {
        try await WebTestApp.run { t in
            let (admin, _) = try await t.loggedIn("admin", role: .admin)
            let response = try await admin.sendJSON(
                .POST, "/api/users", #"{"username":"jack","password":"long enough","displayName":"Jack"}"#)
            #expect(response.status == .created)
            let created = try decode(UserResponse.self, response)
            #expect(created.username == "jack" && created.role == "user" && created.avatarURL == nil)
            let browser = try TestBrowser(app: t.app)
            try await browser.logIn("jack", password: "long enough")
        }
    }

    @Test(arguments: [
        (#"{"username":"x","password":"long enough"}"#, HTTPStatus.badRequest),
        (#"{"username":"kim","password":"short"}"#, .badRequest),
        (#"{"username":"kim","password":"long enough","role":"owner"}"#, .badRequest),
        (#"{"username":"kim"}"#, .badRequest),
        (#"{"username":"#, .badRequest),
        (#"{"username":"admin","password":"long enough"}"#, .conflict),
    ])
    func createRefusesBadInputWithAJSONError(body: String, status: HTTPStatus) async throws {
        try await WebTestApp.run { t in
            let (admin, _) = try await t.loggedIn("admin", role: .admin)
            let response = try await admin.sendJSON(.POST, "/api/users", body)
            #expect(response.status == status)
            #expect(try decode(ErrorBody.self, response).status == Int(status.code))
            #expect(try await User.query(on: t.app.db).count() == 1)
        }
    }

    @Test func aUserOnAnAdminRouteGets403() async throws {
        try await WebTestApp.run { t in
            let (browser, _) = try await t.loggedIn("lee")
            let response = try await browser.sendJSON(.POST, "/api/users", #"{"username":"mia","password":"long enough"}"#)
            #expect(response.status == .forbidden)
            #expect(try decode(ErrorBody.self, response).status == 403)
            let other = try await t.makeUser("ned")
            #expect(try await browser.send(.DELETE, "/api/users/\(try other.requireID())", headers: ["X-CSRF-Token": browser.csrf ?? ""]).status == .forbidden)
            #expect(try await browser.get("/admin").status == .forbidden)
        }
    }

    @Test func aWriteWithoutTheCSRFHeaderIs403() async throws {
        try await WebTestApp.run { t in
            let (admin, _) = try await t.loggedIn("admin", role: .admin)
            let response = try await admin.sendJSON(.POST, "/api/users", #"{"username":"otto","password":"long enough"}"#, withCSRF: false)
            #expect(response.status == .forbidden)
            #expect(try await User.query(on: t.app.db).count() == 1)
        }
    }

    @Test func usersEditThemselvesButNotOthersNorTheirRole() async throws {
        try await WebTestApp.run { t in
            let (browser, me) = try await t.loggedIn("pam")
            let other = try await t.makeUser("quin")
            let mine = try await browser.sendJSON(.PATCH, "/api/users/\(try me.requireID())", #"{"displayName":"Pam P."}"#)
            #expect(mine.status == .ok)
            #expect(try decode(UserResponse.self, mine).displayName == "Pam P.")
            let put = try await browser.sendJSON(.PUT, "/api/users/\(try me.requireID())", #"{"displayName":"Pam Q."}"#)
            #expect(try decode(UserResponse.self, put).displayName == "Pam Q.")
            #expect(try await browser.sendJSON(.PATCH, "/api/users/\(try other.requireID())", #"{"displayName":"x"}"#).status == .forbidden)
            #expect(try await browser.sendJSON(.PATCH, "/api/users/\(try me.requireID())", #"{"role":"admin"}"#).status == .forbidden)
            #expect(try await browser.sendJSON(.PATCH, "/api/users/\(try me.requireID())", #"{"username":"quin"}"#).status == .conflict)
            let reloaded = try #require(try await User.find(me.requireID(), on: t.app.db))
            #expect(reloaded.role == .user && reloaded.username == "pam" && reloaded.displayName == "Pam Q.")
        }
    }

    @Test func anAdminDeletesAUser() async throws {
        try await WebTestApp.run { t in
            let (admin, _) = try await t.loggedIn("admin", role: .admin)
            let victim = try await t.makeUser("ray")
            let path = "/api/users/\(try victim.requireID())"
            #expect(try await admin.sendJSON(.DELETE, path, nil).status == .noContent)
            #expect(try await admin.get(path).status == .notFound)
        }
    }

    @Test func quotesAndSQLMetacharactersAreStoredVerbatimAndEscapedInHTML() async throws {
        try await WebTestApp.run { t in
            let (admin, _) = try await t.loggedIn("admin", role: .admin)
            let hostile = #"Robert'); DROP TABLE users;-- "<b>x</b>" 50% _\"#
            let json = String(decoding: try JSONEncoder().encode(
                CreateUserRequest(username: "bobby", password: "long enough", displayName: hostile, role: nil)), as: UTF8.self)
            let created = try await admin.sendJSON(.POST, "/api/users", json)
            #expect(created.status == .created)
            let id = try decode(UserResponse.self, created).id
            #expect(try decode(UserResponse.self, try await admin.get("/api/users/\(id)")).displayName == hostile)
            #expect(try await User.query(on: t.app.db).count() == 2)
            let page = try await admin.get("/users").body.string
            #expect(page.contains("Robert&#39;); DROP TABLE users;-- &quot;&lt;b&gt;x&lt;/b&gt;&quot; 50% _\\"))
            #expect(!page.contains("<b>x</b>"))
            let adminPage = try await admin.get("/admin").body.string
            #expect(adminPage.contains("&lt;b&gt;x&lt;/b&gt;"))
        }
    }
}

extension ErrorBody: Equatable {
    public static func == (lhs: ErrorBody, rhs: ErrorBody) -> Bool {
        lhs.status == rhs.status && lhs.message == rhs.message
    }
}
