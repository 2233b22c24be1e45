import Testing
@testable import Web

/// What `relay serve --cluster` accepts, checked before the server starts.
@Suite struct ClusterConfigurationTests {
    @Test func clusteringOnSQLiteIsRefusedNamingWhatIsNeeded() throws {
        let error = #expect(throws: ClusterConfigurationError.self) {
            try ClusterConfiguration(nodeID: nil, publicURL: "http://10.0.0.1:8080", database: .sqliteFile("data/relay.sqlite"))
        }
        #expect(error == .requiresPostgres)
        let message = try #require(error?.description)
        #expect(message.contains("--cluster needs DATABASE_URL"))
        #expect(message.contains("PostgreSQL"))
    }

    @Test func anEmptyDatabaseURLIsSQLiteAndRefused() {
        let location = DatabaseLocation.from(databaseURL: "", dataDirectory: "data")
        #expect(throws: ClusterConfigurationError.requiresPostgres) {
            try ClusterConfiguration(nodeID: nil, publicURL: "http://10.0.0.1:8080", database: location)
        }
    }

    @Test func nodeIDsAreCheckedAndGeneratedFreshAtEachStart() throws {
        let postgres = DatabaseLocation.postgres(url: "postgres://relay@127.0.0.1/relay")
        for bad in ["", "a b", "node/1", "nœud", String(repeating: "n", count: 65), "a;drop"] {
            #expect(throws: ClusterConfigurationError.invalidNodeID(bad)) {
                try ClusterConfiguration(nodeID: bad, publicURL: "http://10.0.0.1:8080", database: postgres)
            }
        }
        #expect(try ClusterConfiguration(nodeID: "eu-1.relay_a", publicURL: "http://10.0.0.1", database: postgres).nodeID == "eu-1.relay_a")
        let first = try ClusterConfiguration(nodeID: nil, publicURL: "http://10.0.0.1", database: postgres).nodeID
        let second = try ClusterConfiguration(nodeID: nil, publicURL: "http://10.0.0.1", database: postgres).nodeID
        #expect(first != second)
        #expect(first.hasPrefix("node-"))
    }

    @Test func publicURLsMustBeHttpWithAHostAndNothingElse() throws {
        let postgres = DatabaseLocation.postgres(url: "postgres://relay@127.0.0.1/relay")
        for bad in ["relay1:8443", "ftp://relay1", "https://", "https://user:pw@relay1", "https://relay1/call", "https://relay1/?a=1", "http:///x"] {
            #expect(throws: ClusterConfigurationError.invalidPublicURL(bad)) {
                try ClusterConfiguration(nodeID: "n", publicURL: bad, database: postgres)
            }
        }
        for good in ["https://relay1.example:8443", "http://10.0.0.1:8080/", "https://[2001:db8::1]:8443"] {
            #expect(try ClusterConfiguration(nodeID: "n", publicURL: good, database: postgres).publicURL == good)
        }
    }

    @Test func theLeaseOutlastsTwoBeats() {
        let postgres = DatabaseLocation.postgres(url: "postgres://relay@127.0.0.1/relay")
        #expect(throws: ClusterConfigurationError.leaseTooShort) {
            try ClusterConfiguration(
                nodeID: "n", publicURL: "http://a", database: postgres, heartbeatInterval: .seconds(2), lease: .seconds(3))
        }
        // The defaults: a SIGKILLed node is seen gone within 10 s of its last beat.
        #expect(ClusterConfiguration.defaultLease < .seconds(10))
        #expect(ClusterConfiguration.defaultLease >= ClusterConfiguration.defaultHeartbeatInterval * 3)
    }

    @Test func theDerivedURLIsHttpsWhenServed() {
        #expect(ClusterConfiguration.derivedPublicURL(announcedAddress: "203.0.113.7", httpPort: 8080, httpsPort: 8443)
            == "https://203.0.113.7:8443")
        #expect(ClusterConfiguration.derivedPublicURL(announcedAddress: "203.0.113.7", httpPort: 8080, httpsPort: nil)
            == "http://203.0.113.7:8080")
        #expect(ClusterConfiguration.derivedPublicURL(announcedAddress: "2001:db8::1", httpPort: 8080, httpsPort: nil)
            == "http://[2001:db8::1]:8080")
    }
}
