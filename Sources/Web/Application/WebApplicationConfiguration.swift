import Foundation

/// Settings of the web application (accounts, lottery, users API, chat, file explorer).
public struct WebApplicationConfiguration: Sendable {
    /// Folder for the SQLite database and uploads; relative paths are taken from the working
    /// directory.
    public var dataDirectory: String
    /// The one folder the file explorer shows, read-only.
    public var filesRoot: String
    public var database: DatabaseLocation
    public var lottery: LotteryRules
    /// Login attempts one client address may make per minute before it gets 429; registrations
    /// and password changes have a count of their own, of the same size.
    public var loginAttemptsPerMinute: Int
    /// Wrong passwords one account may be tried with per minute (failed logins and wrong
    /// current passwords together, from any address) before it answers 429 without checking:
    /// guesses spread over many addresses meet this limit instead.
    public var passwordGuessesPerMinutePerAccount: Int
    /// Folder holding `Resources/Views` and `Public`; nil means the working directory.
    public var resourcesDirectory: String?
    /// bcrypt work factor for new password hashes.
    public var bcryptCost: Int
    /// How long a session lasts unused; each request moves its end forward.
    public var sessionIdleLifetime: TimeInterval
    /// Whether the session and CSRF cookies are `Secure` (sent over HTTPS only). Off while the
    /// server speaks plain HTTP, where a browser would drop such a cookie; turn it on behind a
    /// TLS proxy.
    public var cookieSecure: Bool
    /// The rate limit of each `/chat/ws` socket and how many messages a room keeps.
    public var chat: ChatLimits

    public init(
        dataDirectory: String = "data",
        filesRoot: String? = nil,
        database: DatabaseLocation? = nil,
        lottery: LotteryRules = LotteryRules(),
        loginAttemptsPerMinute: Int = 10,
        passwordGuessesPerMinutePerAccount: Int = 10,
        resourcesDirectory: String? = nil,
        bcryptCost: Int = 12,
        sessionIdleLifetime: TimeInterval = 14 * 24 * 3600,
        cookieSecure: Bool = false,
        chat: ChatLimits = ChatLimits()
    ) {
        self.dataDirectory = dataDirectory
        self.filesRoot = filesRoot ?? dataDirectory + "/shared"
        self.database = database ?? .sqliteFile(dataDirectory + "/relay.sqlite")
        self.lottery = lottery
        self.loginAttemptsPerMinute = loginAttemptsPerMinute
        self.passwordGuessesPerMinutePerAccount = passwordGuessesPerMinutePerAccount
        self.resourcesDirectory = resourcesDirectory
        self.bcryptCost = bcryptCost
        self.sessionIdleLifetime = sessionIdleLifetime
        self.cookieSecure = cookieSecure
        self.chat = chat
    }

    var uploadsDirectory: String { dataDirectory + "/uploads" }
}
