import FluentPostgresDriver
import Relay
import SQLKit
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
    /// This server as a node of a cluster on the web application's PostgreSQL; nil: alone.
    public var cluster: ClusterConfiguration?

    public init(
        hostname: String = "0.0.0.0", port: Int = 8080, media: MediaPlane? = nil,
        webApp: WebApplicationConfiguration? = nil, signaling: SignalingConfiguration = SignalingConfiguration(),
        origins: OriginPolicy = OriginPolicy(), https: HttpsConfiguration? = nil, metricsToken: String? = nil,
        cluster: ClusterConfiguration? = nil
    ) {
        self.hostname = hostname
        self.port = port
        self.media = media
        self.webApp = webApp
        self.signaling = signaling
        self.origins = origins
        self.https = https
        self.metricsToken = metricsToken
        self.cluster = cluster
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
    let member = try configuration.cluster.map { try clusterMember(app, $0, configuration, registry: registry) }
    var callCluster: CallPageController.Cluster?
    if let member {
        app.storage[ClusterMemberKey.self] = member
        let rooms = ClusterRooms(database: member.directory.database)
        callCluster = CallPageController.Cluster(nodeID: member.nodeID, rooms: rooms, directory: member.directory)
        var logger = app.logger
        logger[metadataKey: "component"] = "cluster"
        let placement = ClusterRoomPlacement(member: member, rooms: rooms, logger: logger)
        let span = try configuration.cluster.flatMap { try clusterSpan(app, $0, configuration, logger: logger) }
        app.lifecycle.use(ClusterLifecycle(member: member, registry: registry, placement: placement, span: span))
        if let fanOut = try chatFanOut(app, configuration, logger: logger) {
            app.storage[ChatFanOutKey.self] = fanOut
            app.lifecycle.use(ChatFanOutLifecycle(fanOut: fanOut))
        }
    }
    if configuration.webApp != nil {
        try app.register(collection: ClusterController(member: member))
    }
    try app.register(collection: HealthController(drain: registry.drain))
    try app.register(collection: MetricsController(
        registry: registry, media: configuration.media, backlog: app.webSocketBacklog, metrics: metrics,
        token: configuration.metricsToken, cluster: member))
    try app.register(collection: SignalingController(
        registry: registry, origins: configuration.origins, backlog: app.webSocketBacklog))
    try app.register(collection: CallPageController(httpsPort: configuration.https?.port, cluster: callCluster))
}

/// This server's node in the cluster's directory, with its load read from the rooms and the
/// media workers. The directory lives in the web application's database, which must be PostgreSQL.
private func clusterMember(
    _ app: Application, _ cluster: ClusterConfiguration, _ configuration: WebConfiguration, registry: RoomRegistry
) throws(ClusterConfigurationError) -> ClusterMember {
    guard case .postgres(let url, _) = configuration.webApp?.database, let database = app.db as? any SQLDatabase,
        let postgres = try? SQLPostgresConfiguration(url: url)
    else {
        throw .requiresPostgres
    }
    let media = configuration.media
    let announcement = NodeAnnouncement(
        nodeID: cluster.nodeID, publicURL: cluster.publicURL, mediaAddresses: media?.announcedAddresses ?? [],
        mediaPorts: media?.workers.map { Int($0.port) } ?? [], httpPort: configuration.port,
        mediaFingerprint: media?.fingerprint.sdpValue)
    let source = NodeLoadSource(
        counts: {
            let forwarded = await media?.statistics().forwardedPackets ?? 0
            return (await registry.roomCount, await registry.loadParticipantCount, forwarded)
        },
        isDraining: { registry.drain.isDraining })
    var logger = app.logger
    logger[metadataKey: "component"] = "cluster"
    let presence = NodePresence(configuration: postgres.coreConfiguration, eventLoop: app.eventLoopGroup.any(), logger: logger)
    return ClusterMember(
        directory: ClusterDirectory(database: database, lease: cluster.lease), announcement: announcement,
        heartbeatInterval: cluster.heartbeatInterval, source: source, presence: presence, logger: logger)
}

/// This node's part in rooms across nodes, and the node channel it sends on, on a connection of
/// its own; nil without a media plane (no media to carry).
private func clusterSpan(
    _ app: Application, _ cluster: ClusterConfiguration, _ configuration: WebConfiguration, logger: Logger
) throws -> (ClusterSpan, NodeChannel)? {
    guard configuration.media != nil, case .postgres(let url, let schema) = configuration.webApp?.database,
        let database = app.db as? any SQLDatabase
    else { return nil }
    let postgres = try SQLPostgresConfiguration(url: url)
    let channel = NodeChannel(
        nodeID: cluster.nodeID, configuration: postgres.coreConfiguration, schema: schema, database: database,
        eventLoop: app.eventLoopGroup.any(), logger: logger)
    let span = ClusterSpan(
        nodeID: cluster.nodeID, publicURL: ClusterRooms.trimmed(cluster.publicURL),
        send: { node, body in channel.send(to: node, body) }, participantBudget: cluster.participantBudget)
    return (span, channel)
}

/// The site chat's fan-out to the other nodes, on a connection of its own to the cluster's
/// PostgreSQL; nil without the web application (no site chat).
private func chatFanOut(_ app: Application, _ configuration: WebConfiguration, logger: Logger) throws -> ChatFanOut? {
    guard case .postgres(let url, let schema) = configuration.webApp?.database else { return nil }
    let postgres = try SQLPostgresConfiguration(url: url)
    return ChatFanOut(
        configuration: postgres.coreConfiguration, schema: schema, database: app.db, hub: try WebServices.of(app).chat,
        eventLoop: app.eventLoopGroup.any(), logger: logger)
}

/// Where `configure` keeps the site chat's fan-out across the cluster.
struct ChatFanOutKey: StorageKey {
    typealias Value = ChatFanOut
}

extension Application {
    /// The site chat's fan-out to the other nodes of the cluster, when the server is in one.
    var chatFanOut: ChatFanOut? { storage[ChatFanOutKey.self] }
}

/// Where `configure` keeps the cluster node, for the process that drains it on SIGTERM.
struct ClusterMemberKey: StorageKey {
    typealias Value = ClusterMember
}

extension Application {
    /// This server's node in the cluster, when it runs with one.
    public var clusterMember: ClusterMember? { storage[ClusterMemberKey.self] }
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
