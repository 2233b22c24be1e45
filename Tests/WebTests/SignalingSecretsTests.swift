import Foundation
import Testing
@testable import Web

/// Where `relay serve` takes the admin token and the ICE servers from: the command line, a file
/// or the environment, one source each.
@Suite struct SignalingSecretsTests {
    struct MissingFile: Error {}

    static let files = [
        "/run/secrets/token": "  s3cret-token\n",
        "/run/secrets/empty": "\n",
        "/run/secrets/turn": "north-wind\n",
        "/run/secrets/ice": "# the relay's own\nstun:stun.example.org:3478\n\n  turn:turn.example.org:3478?transport=udp&username=relay&credential=pw  \n",
    ]

    static func resolve(
        _ options: SignalingSecrets.Options, environment: [String: String] = [:]
    ) throws(SignalingConfigurationError) -> SignalingSecrets {
        try SignalingSecrets.resolve(options, environment: environment) { path in
            guard let content = files[path] else { throw MissingFile() }
            return content
        }
    }

    static let turn = ServerMessage.IceServer(
        urls: ["turn:turn.example.org:3478?transport=udp"], username: "relay", credential: "pw")
    static let stun = ServerMessage.IceServer(urls: ["stun:stun.example.org:3478"])

    @Test func eachSettingComesFromItsOneSource() throws {
        #expect(try Self.resolve(.init()) == SignalingSecrets())
        #expect(try Self.resolve(.init(adminToken: "cli")).adminToken == "cli")
        #expect(try Self.resolve(.init(adminTokenFile: "/run/secrets/token")).adminToken == "s3cret-token")
        #expect(try Self.resolve(.init(), environment: ["RELAY_ADMIN_TOKEN": "from-env"]).adminToken == "from-env")

        let fromOptions = try Self.resolve(.init(iceServers: ["stun:stun.example.org:3478"]))
        #expect(fromOptions.iceServers == [Self.stun])
        #expect(try Self.resolve(.init(iceServerFile: "/run/secrets/ice")).iceServers == [Self.stun, Self.turn])
        let fromEnvironment = try Self.resolve(.init(), environment: [
            "RELAY_ICE_SERVERS": " stun:stun.example.org:3478\n turn:turn.example.org:3478?transport=udp&username=relay&credential=pw ",
        ])
        #expect(fromEnvironment.iceServers == [Self.stun, Self.turn])
        // The token from one source, the servers from another.
        let mixed = try Self.resolve(.init(iceServerFile: "/run/secrets/ice"), environment: ["RELAY_ADMIN_TOKEN": "t"])
        #expect(mixed == SignalingSecrets(adminToken: "t", iceServers: [Self.stun, Self.turn]))
        // Set to nothing is unset.
        #expect(try Self.resolve(.init(adminToken: "cli"), environment: ["RELAY_ADMIN_TOKEN": ""]).adminToken == "cli")
    }

    @Test func twoSourcesOfOneSettingAreRefused() {
        #expect(throws: SignalingConfigurationError.conflictingSources(["--admin-token", "RELAY_ADMIN_TOKEN"])) {
            try Self.resolve(.init(adminToken: "cli"), environment: ["RELAY_ADMIN_TOKEN": "env"])
        }
        #expect(throws: SignalingConfigurationError.conflictingSources(["--admin-token", "--admin-token-file"])) {
            try Self.resolve(.init(adminToken: "cli", adminTokenFile: "/run/secrets/token"))
        }
        #expect(throws: SignalingConfigurationError.conflictingSources(["--ice-server-file", "RELAY_ICE_SERVERS"])) {
            try Self.resolve(.init(iceServerFile: "/run/secrets/ice"), environment: ["RELAY_ICE_SERVERS": "stun:h"])
        }
        #expect(throws: SignalingConfigurationError.conflictingSources(["--ice-server", "--ice-server-file"])) {
            try Self.resolve(.init(iceServers: ["stun:h"], iceServerFile: "/run/secrets/ice"))
        }
    }

    @Test func unusableSourcesAreRefused() {
        #expect(throws: SignalingConfigurationError.emptyAdminToken("--admin-token")) {
            try Self.resolve(.init(adminToken: ""))
        }
        #expect(throws: SignalingConfigurationError.emptyAdminToken("--admin-token-file /run/secrets/empty")) {
            try Self.resolve(.init(adminTokenFile: "/run/secrets/empty"))
        }
        #expect(throws: SignalingConfigurationError.self) { try Self.resolve(.init(adminTokenFile: "/missing")) }
        #expect(throws: SignalingConfigurationError.self) { try Self.resolve(.init(iceServerFile: "/missing")) }
        #expect(throws: SignalingConfigurationError.invalidIceServer("turn:h", "a TURN URL with ?username=...&credential=... (or none, with --turn-secret-file)")) {
            try Self.resolve(.init(), environment: ["RELAY_ICE_SERVERS": "stun:h turn:h"])
        }
        let error = SignalingConfigurationError.conflictingSources(["--admin-token", "RELAY_ADMIN_TOKEN"])
        #expect(error.description == "--admin-token and RELAY_ADMIN_TOKEN give the same setting: use one of them")
    }

    @Test func aTurnSecretLetsTurnUrlsComeWithoutCredentials() throws {
        #expect(throws: SignalingConfigurationError.self) {
            try Self.resolve(.init(iceServers: ["turn:127.0.0.1:3478"]))
        }
        let secrets = try Self.resolve(.init(iceServers: ["turn:127.0.0.1:3478", "stun:127.0.0.1:3478"], turnSecretFile: "/run/secrets/turn"))
        #expect(secrets.turnSecret == Array("north-wind".utf8))
        #expect(secrets.iceServers.map(\.username) == [nil, nil])
        #expect(try Self.resolve(.init(), environment: ["RELAY_TURN_SECRET": "env"]).turnSecret == Array("env".utf8))
        #expect(throws: SignalingConfigurationError.conflictingSources(["--turn-secret-file", "RELAY_TURN_SECRET"])) {
            try Self.resolve(.init(turnSecretFile: "/run/secrets/turn"), environment: ["RELAY_TURN_SECRET": "env"])
        }
        #expect(throws: SignalingConfigurationError.emptyTurnSecret("--turn-secret-file /run/secrets/empty")) {
            try Self.resolve(.init(turnSecretFile: "/run/secrets/empty"))
        }
    }

    /// The reference value is Python's `hmac` over the same username and secret, the way
    /// coturn's `use-auth-secret` checks it.
    @Test func mintedTurnCredentialsAreTheExpiryAndIdSignedWithTheSecret() {
        let minter = TurnCredentials(secret: Array("north-wind".utf8), lifetime: 86_400)
        let now = Date(timeIntervalSince1970: 1_733_400_000 - 86_400)
        let minted = minter.mint(for: "p7", now: now)
        #expect(minted.username == "1733400000:p7")
        #expect(minted.credential == "pdbSdGsE/iD674DgrJQAl4MnB/Q=")
        let servers = minter.servers([ServerMessage.IceServer(urls: ["turn:127.0.0.1:3478"]), Self.stun, Self.turn], for: "p7", now: now)
        #expect(servers == [
            ServerMessage.IceServer(urls: ["turn:127.0.0.1:3478"], username: "1733400000:p7", credential: "pdbSdGsE/iD674DgrJQAl4MnB/Q="),
            Self.stun, Self.turn,
        ])
    }
}
