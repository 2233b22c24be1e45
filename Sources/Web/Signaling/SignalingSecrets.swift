import Foundation

/// The admin token and the ICE servers (a TURN server's credentials ride in its URL), from the
/// command line, a file or the environment. Every user of the machine can read a process's
/// command line (`ps`, /proc/PID/cmdline); a file only the server's user can read, or the
/// server's environment (/proc/PID/environ is readable by that user only), keeps them private.
///
/// Each setting takes one source: two at once are refused, so which one the
/// server uses is never a guess. An environment variable set to "" counts as unset.
public struct SignalingSecrets: Sendable, Equatable {
    public var adminToken: String?
    public var iceServers: [ServerMessage.IceServer]
    /// The secret shared with the TURN servers (coturn's `static-auth-secret`), from which each
    /// participant's credentials are minted.
    public var turnSecret: [UInt8]?

    public static let adminTokenVariable = "RELAY_ADMIN_TOKEN"
    public static let iceServersVariable = "RELAY_ICE_SERVERS"
    public static let turnSecretVariable = "RELAY_TURN_SECRET"

    /// What `relay serve` was given.
    public struct Options: Sendable {
        public var adminToken: String?
        public var adminTokenFile: String?
        public var iceServers: [String]
        public var iceServerFile: String?
        public var turnSecretFile: String?

        public init(
            adminToken: String? = nil, adminTokenFile: String? = nil, iceServers: [String] = [], iceServerFile: String? = nil,
            turnSecretFile: String? = nil
        ) {
            self.adminToken = adminToken
            self.adminTokenFile = adminTokenFile
            self.iceServers = iceServers
            self.iceServerFile = iceServerFile
            self.turnSecretFile = turnSecretFile
        }
    }

    public init(adminToken: String? = nil, iceServers: [ServerMessage.IceServer] = [], turnSecret: [UInt8]? = nil) {
        self.adminToken = adminToken
        self.iceServers = iceServers
        self.turnSecret = turnSecret
    }

    /// `--admin-token`, `--admin-token-file` (its content, surrounding whitespace dropped) or
    /// `RELAY_ADMIN_TOKEN`; `--ice-server` (repeated), `--ice-server-file` (one URL a line;
    /// blank lines and lines starting with `#` skipped) or `RELAY_ICE_SERVERS` (URLs separated
    /// by whitespace); `--turn-secret-file` (its content, surrounding whitespace dropped) or
    /// `RELAY_TURN_SECRET`.
    public static func resolve(
        _ options: Options, environment: [String: String],
        readFile: (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) throws(SignalingConfigurationError) -> SignalingSecrets {
        let adminToken = try token(
            option: "--admin-token", options.adminToken, fileOption: "--admin-token-file", options.adminTokenFile,
            variable: adminTokenVariable, environment: environment, readFile: readFile)

        let serversVariable = environment[iceServersVariable].flatMap { $0.isEmpty ? nil : $0 }
        try requireOneSource([
            ("--ice-server", !options.iceServers.isEmpty), ("--ice-server-file", options.iceServerFile != nil),
            (iceServersVariable, serversVariable != nil),
        ])
        let urls: [String]
        if let path = options.iceServerFile {
            urls = try read(path, option: "--ice-server-file", readFile)
                .split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        } else if let serversVariable {
            urls = serversVariable.split(whereSeparator: \.isWhitespace).map(String.init)
        } else {
            urls = options.iceServers
        }
        let secretVariable = environment[turnSecretVariable].flatMap { $0.isEmpty ? nil : $0 }
        try requireOneSource([("--turn-secret-file", options.turnSecretFile != nil), (turnSecretVariable, secretVariable != nil)])
        var turnSecret: [UInt8]?
        if let path = options.turnSecretFile {
            let content = try read(path, option: "--turn-secret-file", readFile).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !content.isEmpty else { throw .emptyTurnSecret("--turn-secret-file \(path)") }
            turnSecret = Array(content.utf8)
        } else {
            turnSecret = secretVariable.map { Array($0.utf8) }
        }
        var iceServers: [ServerMessage.IceServer] = []
        for url in urls {
            iceServers.append(try ServerMessage.IceServer(option: url, mintedCredentials: turnSecret != nil))
        }
        return SignalingSecrets(adminToken: adminToken, iceServers: iceServers, turnSecret: turnSecret)
    }

    /// A token given as `option`, in the file `fileOption` names (surrounding whitespace
    /// dropped), or in the environment `variable`: at most one of them, never empty.
    public static func token(
        option: String, _ value: String?, fileOption: String, _ path: String?, variable: String,
        environment: [String: String],
        readFile: (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) throws(SignalingConfigurationError) -> String? {
        let fromVariable = environment[variable].flatMap { $0.isEmpty ? nil : $0 }
        try requireOneSource([(option, value != nil), (fileOption, path != nil), (variable, fromVariable != nil)])
        if let value { return try nonEmpty(value, from: option) }
        if let path {
            let content = try read(path, option: fileOption, readFile)
            return try nonEmpty(content.trimmingCharacters(in: .whitespacesAndNewlines), from: "\(fileOption) \(path)")
        }
        return fromVariable
    }

    private static func requireOneSource(_ sources: [(name: String, given: Bool)]) throws(SignalingConfigurationError) {
        let given = sources.filter(\.given).map(\.name)
        if given.count > 1 {
            throw .conflictingSources(given)
        }
    }

    private static func read(
        _ path: String, option: String, _ readFile: (String) throws -> String
    ) throws(SignalingConfigurationError) -> String {
        do {
            return try readFile(path)
        } catch {
            throw .unreadableFile(option: option, path: path, reason: "\(error)")
        }
    }

    /// An empty token would make anyone who sends an empty one an admin.
    private static func nonEmpty(_ token: String, from source: String) throws(SignalingConfigurationError) -> String {
        guard !token.isEmpty else {
            throw .emptyAdminToken(source)
        }
        return token
    }
}
