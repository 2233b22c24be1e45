import Vapor

/// Settings of the web server, filled from the command line.
public struct WebConfiguration: Sendable {
    public var hostname: String
    public var port: Int
    /// The web application (accounts, lottery, users API, chat, files); nil serves only health
    /// and signaling.
    public var webApp: WebApplicationConfiguration?

    public init(hostname: String = "0.0.0.0", port: Int = 8080, webApp: WebApplicationConfiguration? = nil) {
        self.hostname = hostname
        self.port = port
        self.webApp = webApp
    }
}

/// Installs the routes and settings of Relay's HTTP side on a Vapor application.
public func configure(_ app: Application, _ configuration: WebConfiguration) throws {
    app.http.server.configuration.hostname = configuration.hostname
    app.http.server.configuration.port = configuration.port
    try app.register(collection: HealthController())
    try app.register(collection: SignalingController(registry: RoomRegistry()))
    try configuration.webApp.map { try configureWebApplication(app, $0) }
}
