import Foundation
import Testing
import VaporTesting
@testable import Web

/// `GET /cluster`: the live nodes as JSON, for admins only.
@Suite struct ClusterControllerTests {
    @Test(.enabled(if: WebTestApp.usesPostgres, WebTestApp.clusterNeedsPostgres))
    func onlyAnAdminSeesTheNodes() async throws {
        try await WebTestApp.run(cluster: try WebTestApp.clusterNode("node-a")) { t in
            let anonymous = try TestBrowser(app: t.app)
            let refused = try await anonymous.get("/cluster")
            #expect(refused.status == .unauthorized)
            #expect(refused.headers.contentType == .json, "JSON, not a redirect to the login page")

            let (user, _) = try await t.loggedIn("bo")
            let forbidden = try await user.get("/cluster")
            #expect(forbidden.status == .forbidden)
            #expect(!forbidden.body.string.contains("node-a"))

            let (admin, _) = try await t.loggedIn("ada", role: .admin)
            let listed = try await admin.get("/cluster")
            #expect(listed.status == .ok)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(listed.body.readableBytesView)) as? [String: Any])
            #expect(json["node"] as? String == "node-a")
            let nodes = try #require(json["nodes"] as? [[String: Any]])
            #expect(nodes.count == 1)
            #expect(nodes.first?["id"] as? String == "node-a")
            #expect(nodes.first?["publicURL"] as? String == "http://127.0.0.1:8080")
            #expect(nodes.first?["draining"] as? Bool == false)
            #expect((nodes.first?["load"] as? [String: Any])?["rooms"] as? Int == 0)
        }
    }

    @Test func aServerOutsideAClusterAnswersNotFound() async throws {
        try await WebTestApp.run { t in
            let (admin, _) = try await t.loggedIn("ada", role: .admin)
            let response = try await admin.get("/cluster")
            #expect(response.status == .notFound)
            #expect(response.body.string.contains("not part of a cluster"))
        }
    }
}
