import Fluent
import Testing
import VaporTesting
@testable import Web

/// The last admin can be neither removed nor demoted: 409 with a message, and nothing changes.
@Suite struct LastAdminTests {
    static func admins(_ t: WebTestApp) async throws -> [String] {
        try await User.query(on: t.app.db).filter(\.$roleName == "admin").sort(\.$username).all().map(\.username)
    }

    @Test func theLastAdminCannotDeleteOrDemoteItself() async throws {
        try await WebTestApp.run { t in
            let (admin, user) = try await t.loggedIn("ada", role: .admin)
            let id = try user.requireID().uuidString
            let delete = try await admin.sendJSON(.DELETE, "/api/users/\(id)", nil)
            #expect(delete.status == .conflict)
            #expect(delete.body.string.contains("last admin"))
            let demote = try await admin.sendJSON(.PATCH, "/api/users/\(id)", #"{"role":"user"}"#)
            #expect(demote.status == .conflict)
            #expect(try await Self.admins(t) == ["ada"])
        }
    }

    @Test func anAdminCanGoWhileAnotherRemains() async throws {
        try await WebTestApp.run { t in
            let (first, _) = try await t.loggedIn("abby", role: .admin)
            let secondUser = try await t.makeUser("alan", role: .admin)
            let plain = try await t.makeUser("amos")
            // A plain account is not guarded.
            #expect(try await first.sendJSON(.DELETE, "/api/users/\(try plain.requireID().uuidString)", nil).status == .noContent)
            let demote = try await first.sendJSON(.PATCH, "/api/users/\(try secondUser.requireID().uuidString)", #"{"role":"user"}"#)
            #expect(demote.status == .ok)
            #expect(try await Self.admins(t) == ["abby"])
            let first2 = try #require(try await User.query(on: t.app.db).filter(\.$username == "abby").first())
            #expect(try await first.sendJSON(.DELETE, "/api/users/\(try first2.requireID().uuidString)", nil).status == .conflict)
        }
    }

    @Test func twoAdminsDemotingEachOtherAtOnceLeaveOne() async throws {
        try await WebTestApp.run { t in
            let (a, aUser) = try await t.loggedIn("ann", role: .admin)
            let (b, bUser) = try await t.loggedIn("bea", role: .admin)
            async let first = a.sendJSON(.PATCH, "/api/users/\(try bUser.requireID().uuidString)", #"{"role":"user"}"#)
            async let second = b.sendJSON(.PATCH, "/api/users/\(try aUser.requireID().uuidString)", #"{"role":"user"}"#)
            let statuses = [try await first.status, try await second.status]
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict || $0 == .forbidden }.count == 1, "\(statuses)")
            #expect(try await Self.admins(t).count == 1)
        }
    }
}
