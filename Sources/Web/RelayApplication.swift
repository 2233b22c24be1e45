import Relay
import Vapor

/// Settings of the web server, filled from the command line.
public struct WebConfiguration: Sendable {
    public var hostname: String
    public var port: Int
    /// The media plane, started by `configure`; nil runs signaling without sfu mode.
    public var media: MediaPlane?
    /// The web application (accounts, lottery, users API, chat, files); nil serves only health,
    /// metrics, signaling and the call page.
    public var webApp: WebApplicationConfiguration?
    public var signaling: SignalingConfiguration
    /// Which pages may open `/ws` and `/chat/ws`.
    public var origins: OriginPolicy
    /// HTTPS beside plain HTTP, on the same routes; nil serves plain HTTP only.
    public var https: HttpsConfiguration?
    /// What a scraper must present to read `/metrics` (`Authorization: Bearer`); nil: anyone.
    public var metricsToken: String?

    public init(
        hostname: String = "0.0.0.0", port: Int = 8080, media: MediaPlane? = nil,
        webApp: WebApplicationConfiguration? = nil, signaling: SignalingConfiguration = SignalingConfiguration(),
        origins: OriginPolicy = OriginPolicy(), https: HttpsConfiguration? = nil, metricsToken: String? = nil
    ) {
        self.hostname = hostname
        self.port = port
        self.media = media
        self.webApp = webApp
        self.signaling = signaling
        self.origins = origins
        self.https = https
        self.metricsToken = metricsToken
    }
}

/// Installs the routes and settings of Relay's HTTP side on a Vapor application.
public func configure(_ app: Application, _ configuration: WebConfiguration) throws {
    app.http.server.configuration.hostname = configuration.hostname
    app.http.server.configuration.port = configuration.port
    app.middleware.use(SecurityHeadersMiddleware(), at: .beginning)
    // Made before the server runs, so requests only read it.
    _ = app.openWebSockets
    if let https = configuration.https {
        app.lifecycle.use(HttpsServerLifecycle(configuration: https))
    }
    // First: the web application may move the resources directory and sets up the database.
    try configuration.webApp.map { try configureWebApplication(app, $0, origins: configuration.origins) }
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))

    let chatHistory: any ChatHistory = configuration.webApp == nil
        ? InMemoryChatHistory() : DatabaseChatHistory(database: app.db, logger: app.logger)
    var roomsLogger = app.logger
    roomsLogger[metadataKey: "component"] = "rooms"
    let registry = RoomRegistry(
        configuration: configuration.signaling, media: configuration.media, chatHistory: chatHistory, logger: roomsLogger)
    let metrics = RelayMetrics()
    if let media = configuration.media {
        media.start()
        app.lifecycle.use(MediaPlaneLifecycle(media: media, registry: registry, metrics: metrics))
    }
    app.storage[RoomRegistryKey.self] = registry
    try app.register(collection: HealthController(drain: registry.drain))
    try app.register(collection: MetricsController(
        registry: registry, media: configuration.media, backlog: app.webSocketBacklog, metrics: metrics,
        token: configuration.metricsToken))
    try app.register(collection: SignalingController(
        registry: registry, origins: configuration.origins, backlog: app.webSocketBacklog))
    try app.register(collection: CallPageController(httpsPort: configuration.https?.port))
}

/// Where `configure` keeps the rooms, for the process that drains them on SIGTERM.
struct RoomRegistryKey: StorageKey {
    typealias Value = RoomRegistry
}

extension Application {
    /// The rooms and their participants, once `configure` has run.
    public var roomRegistry: RoomRegistry? { storage[RoomRegistryKey.self] }
}

/// Stops the media workers with the application and feeds their events to signaling meanwhile,
/// and their subscribers' estimates to the participants and the metrics' histograms.
struct MediaPlaneLifecycle: LifecycleHandler {
    let media: MediaPlane
    let registry: RoomRegistry
    let metrics: RelayMetrics

    func didBootAsync(_ application: Application) async throws {
        Task { await registry.consumeMediaEvents() }
        Task { [metrics] in await registry.reportLinkEstimates { await metrics.sample($0) } }
    }

    func shutdownAsync(_ application: Application) async {
        media.stop()
    }
}
