import Testing
import VaporTesting
@testable import Web

/// A call page asked for over plain HTTP from another machine goes to the server's HTTPS, where
/// the browser lets it use the camera; on the machine itself, or without HTTPS, it is served.
@Suite struct CallPageRedirectTests {
    private func withCallPage(httpsPort: Int?, _ body: (Application) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        app.directory = DirectoryConfiguration(workingDirectory: WebTestApp.repositoryRoot + "/")
        do {
            try app.register(collection: CallPageController(httpsPort: httpsPort))
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// The status code and, for a redirect, where to.
    private func get(_ app: Application, host: String) async throws -> String {
        var result = ""
        try await app.testing().test(.GET, "/call/team-1?name=ann&mode=sfu", headers: ["Host": host]) { response in
            result = "\(response.status.code)" + (response.headers.first(name: .location).map { " " + $0 } ?? "")
        }
        return result
    }

    @Test func anotherMachineIsSentToHttps() async throws {
        try await withCallPage(httpsPort: 8443) { app in
            let named = try await get(app, host: "relay.example:8080")
            #expect(named == "307 https://relay.example:8443/call/team-1?name=ann&mode=sfu")
            let v4 = try await get(app, host: "192.0.2.7:8080")
            #expect(v4 == "307 https://192.0.2.7:8443/call/team-1?name=ann&mode=sfu")
            let v6 = try await get(app, host: "[2001:DB8::1]:8080")
            #expect(v6 == "307 https://[2001:db8::1]:8443/call/team-1?name=ann&mode=sfu")
        }
    }

    @Test func theMachineItselfAndAServerWithoutHttpsGetThePage() async throws {
        try await withCallPage(httpsPort: 8443) { app in
            for host in ["localhost:8080", "127.0.0.1:8080", "[::1]:8080", "app.localhost:8080"] {
                let local = try await get(app, host: host)
                #expect(local == "200", "\(host)")
            }
            // A Host that is no name is not echoed into a redirect.
            let odd = try await get(app, host: "evil.example/x@y")
            #expect(odd == "200")
        }
        try await withCallPage(httpsPort: nil) { app in
            let plain = try await get(app, host: "relay.example:8080")
            #expect(plain == "200")
        }
    }
}
