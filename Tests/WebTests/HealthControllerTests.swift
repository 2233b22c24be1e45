import Foundation
import Testing
import VaporTesting
@testable import Web

@Suite struct HealthControllerTests {
    @Test func healthzAnswersOK() async throws {
        try await withApp(configure: { try configure($0, WebConfiguration()) }) { app in
            try await app.testing().test(.GET, "healthz") { res async in
                #expect(res.status == .ok)
                #expect(res.body.string == #"{"status":"ok"}"#)
            }
        }
    }

    @Test func aDrainingServerAnswers503SoALoadBalancerSendsNewUsersElsewhere() async throws {
        try await withApp(configure: { try configure($0, WebConfiguration()) }) { app in
            let registry = try #require(app.roomRegistry)
            #expect(await registry.beginDraining(until: Date().addingTimeInterval(60)))
            #expect(await !registry.beginDraining(until: Date().addingTimeInterval(600)), "a second drain changes nothing")
            try await app.testing().test(.GET, "healthz") { res async in
                #expect(res.status == .serviceUnavailable)
                #expect(res.body.string == #"{"status":"draining"}"#)
            }
        }
    }

    @Test func unknownPathIs404() async throws {
        try await withApp(configure: { try configure($0, WebConfiguration()) }) { app in
            try await app.testing().test(.GET, "nope") { res async in
                #expect(res.status == .notFound)
            }
        }
    }
}
