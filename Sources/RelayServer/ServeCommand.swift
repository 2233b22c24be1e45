import ArgumentParser
import Relay
import Vapor
import Web

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the server.")

    @ArgumentParser.Option(help: "Address the HTTP server listens on.")
    var httpHost: String = "0.0.0.0"

    @ArgumentParser.Option(help: "Port of the HTTP server.")
    var httpPort: Int = 8080
    @ArgumentParser.Option(help: "Port of the HTTPS server, on the same address and routes as the HTTP one. Browsers give the camera and microphone only to secure pages: HTTPS, or localhost.")
    var httpsPort: Int = 8443
    @ArgumentParser.Flag(help: "Serve plain HTTP only (behind a reverse proxy that does TLS).")
    var noHttps = false
    @ArgumentParser.Option(help: ArgumentHelp(
        "Certificate chain for HTTPS, PEM, leaf first (default: a self-signed one the server makes in <data-dir>/tls). Reloaded with its key on SIGHUP.",
        valueName: "PATH"))
    var tlsCert: String?
    @ArgumentParser.Option(help: ArgumentHelp("Private key of --tls-cert, PEM.", valueName: "PATH"))
    var tlsKey: String?

    @ArgumentParser.Option(help: "Media worker threads, each with its own UDP port (default: one per core).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @ArgumentParser.Option(help: "With several media workers, a room's participants past this many go to the worker with the fewest participants, and its tracks are copied once to each other worker with subscribers of them, so one big room uses every core.")
    var spreadRoomsAbove = 8

    @ArgumentParser.Option(help: "Participants a room holds at most.")
    var maxRoomParticipants = 100

    @ArgumentParser.Option(help: "UDP port of the first media worker; the others count up from it (0: any free ports).")
    var mediaPort: UInt16 = 40000

    @ArgumentParser.Option(help: "Address written in the relay's ICE candidates; repeat it to announce several, most preferred first (default: the first non-loopback IPv4, else 127.0.0.1).")
    var announcedIp: [String] = []

    @ArgumentParser.Option(help: "IPv4 address the media sockets bind (default: every interface).")
    var mediaListenIp = "0.0.0.0"

    @ArgumentParser.Flag(inversion: .prefixedNo, help: "Whether a subscriber's datagrams of one size leave in one segmented send (UDP GSO) where the kernel can.")
    var udpSegmentation = true

    @ArgumentParser.Option(help: "Run the media workers under SCHED_FIFO at this priority (1-99), ahead of the relay's web and database threads and every other ordinary process on their cores (default: ordinary scheduling). Takes CAP_SYS_NICE or an RLIMIT_RTPRIO at least this high; refused, the relay does not start.")
    var mediaRealtimePriority: Int32?

    @ArgumentParser.Flag(help: "Run signaling without the media relay (a join opening an sfu room is refused, auto rooms stay p2p).")
    var noMedia = false

    @ArgumentParser.Option(help: "Seconds a participant whose signaling socket dropped is kept, media and all, for its page to reconnect and resume; 0: it leaves at once.")
    var resumeGrace: Int = 30

    @ArgumentParser.Option(help: "Seconds a draining server (SIGTERM, relay drain) waits for its rooms to empty before it exits; a second SIGTERM exits at once.")
    var drainTimeout: Int = 60

    @ArgumentParser.OptionGroup var web: WebOptions

    @ArgumentParser.Option(help: "Most participants of a direct (p2p) room, a full mesh.")
    var meshMax: Int = 4

    @ArgumentParser.Flag(inversion: .prefixedNo, help: "Whether an auto room that went through the relay goes direct again when back to two.")
    var autoP2pReturn = true

    @ArgumentParser.Option(help: ArgumentHelp(
        "STUN or TURN server for the browsers; repeatable. A TURN server's credentials go in the query (visible in ps: prefer --ice-server-file or RELAY_ICE_SERVERS).",
        valueName: "turn:HOST:3478?username=USER&credential=PASSWORD"))
    var iceServer: [String] = []

    @ArgumentParser.Option(help: ArgumentHelp(
        "File of STUN and TURN URLs, one a line (# starts a comment line); instead of --ice-server and RELAY_ICE_SERVERS.",
        valueName: "PATH"))
    var iceServerFile: String?
    @ArgumentParser.Option(help: ArgumentHelp(
        "File holding the secret shared with the TURN servers (coturn's static-auth-secret): --ice-server TURN URLs without credentials then get time-limited ones per participant. Or RELAY_TURN_SECRET.",
        valueName: "PATH"))
    var turnSecretFile: String?
    @ArgumentParser.Option(help: "How long minted TURN credentials stay valid, in seconds.")
    var turnCredentialLifetime: Int = 86_400

    @ArgumentParser.Option(help: "Who joins with this token may enter and lock any room (default: no one). Visible in ps: prefer --admin-token-file or RELAY_ADMIN_TOKEN.")
    var adminToken: String?

    @ArgumentParser.Option(help: ArgumentHelp(
        "File holding the admin token (surrounding whitespace dropped); instead of --admin-token and RELAY_ADMIN_TOKEN.",
        valueName: "PATH"))
    var adminTokenFile: String?

    @ArgumentParser.Option(help: "Token a scraper must present to read /metrics (Authorization: Bearer TOKEN; default: anyone may). Visible in ps: prefer --metrics-token-file or RELAY_METRICS_TOKEN.")
    var metricsToken: String?

    @ArgumentParser.Option(help: ArgumentHelp(
        "File holding the metrics token (surrounding whitespace dropped); instead of --metrics-token and RELAY_METRICS_TOKEN.",
        valueName: "PATH"))
    var metricsTokenFile: String?

    @ArgumentParser.Option(help: ArgumentHelp(
        "Origin besides the server's own whose pages may open /ws and /chat/ws; repeatable. A handshake without Origin (not a browser) is always let through.",
        valueName: "https://HOST[:PORT]"))
    var allowedOrigin: [String] = []

    @ArgumentParser.Option(help: "Signaling sockets one client address may hold open.")
    var maxSocketsPerIp: Int = 64

    @ArgumentParser.Option(help: "Joins one client address may make a minute.")
    var joinsPerMinutePerIp: Int = 60

    @ArgumentParser.Flag(help: "Register this server as a node of a cluster in the PostgreSQL named by DATABASE_URL (a directory of nodes and their load, listed at /cluster; each room on one node, other nodes redirect to it; site chat across nodes).")
    var cluster = false

    @ArgumentParser.Option(help: "This node's id in the cluster: 1 to 64 letters, digits, '.', '-', '_' (default: a new one at each start).")
    var nodeId: String?

    @ArgumentParser.Option(help: ArgumentHelp(
        "The URL this node is reached at, announced to the cluster (default: https on the first --announced-ip and --https-port, or http and --http-port with --no-https).",
        valueName: "https://HOST[:PORT]"))
    var publicUrl: String?

    @ArgumentParser.Option(help: "Cluster: how many participants' media this node carries before the newcomers of its rooms have theirs placed on another node, the room then spanning nodes over relay links (default: no limit).")
    var participantBudget: Int?

    func validate() throws {
        guard meshMax >= 2 else { throw ValidationError("--mesh-max must be at least 2") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard !noHttps || tlsCert == nil else { throw ValidationError("--no-https and --tls-cert exclude each other") }
        guard noHttps || httpsPort != httpPort else { throw ValidationError("--https-port must differ from --http-port") }
        guard turnCredentialLifetime >= 60 else { throw ValidationError("--turn-credential-lifetime must be at least 60 seconds") }
        guard spreadRoomsAbove >= 1, maxRoomParticipants >= 2 else {
            throw ValidationError("--spread-rooms-above must be at least 1 and --max-room-participants at least 2")
        }
        guard maxSocketsPerIp >= 1, joinsPerMinutePerIp >= 1 else {
            throw ValidationError("--max-sockets-per-ip and --joins-per-minute-per-ip must be at least 1")
        }
        guard cluster || (nodeId == nil && publicUrl == nil && participantBudget == nil) else {
            throw ValidationError("--node-id, --public-url and --participant-budget go with --cluster")
        }
        _ = try clusterConfiguration(announced: announcedAddresses)
    }

    /// The addresses in the relay's ICE candidates.
    var announcedAddresses: [String] {
        announcedIp.isEmpty ? [LocalInterfaces.firstNonLoopbackIPv4() ?? "127.0.0.1"] : announcedIp
    }

    /// This server as a cluster node, or nil without `--cluster`. The cluster's directory lives in
    /// the web application's database, so that must be PostgreSQL.
    func clusterConfiguration(announced: [String]) throws -> ClusterConfiguration? {
        guard cluster else { return nil }
        let url = publicUrl ?? ClusterConfiguration.derivedPublicURL(
            announcedAddress: announced.first ?? "127.0.0.1", httpPort: httpPort, httpsPort: noHttps ? nil : httpsPort)
        do {
            return try ClusterConfiguration(
                nodeID: nodeId, publicURL: url, database: web.configuration().database, participantBudget: participantBudget)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func signaling() throws -> SignalingConfiguration {
        let secrets: SignalingSecrets
        do {
            secrets = try SignalingSecrets.resolve(
                SignalingSecrets.Options(
                    adminToken: adminToken, adminTokenFile: adminTokenFile, iceServers: iceServer,
                    iceServerFile: iceServerFile, turnSecretFile: turnSecretFile),
                environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
        return SignalingConfiguration(
            maximumParticipants: maxRoomParticipants, meshMaximum: meshMax, returnsToP2P: autoP2pReturn, iceServers: secrets.iceServers, adminToken: secrets.adminToken,
            maximumSocketsPerAddress: maxSocketsPerIp, joinsPerMinutePerAddress: joinsPerMinutePerIp,
            turnCredentials: secrets.turnSecret.map { TurnCredentials(secret: $0, lifetime: TimeInterval(turnCredentialLifetime)) },
            resumeGrace: .seconds(max(resumeGrace, 0)), spreadRoomsAbove: spreadRoomsAbove)
    }

    /// Where HTTPS listens and with which certificate: the operator's, or one made for this
    /// machine's names and the addresses the relay announces.
    func https(announced: [String]) -> HttpsConfiguration? {
        guard !noHttps else { return nil }
        if let tlsCert, let tlsKey {
            return HttpsConfiguration(hostname: httpHost, port: httpsPort, certificate: .files(certificate: tlsCert, privateKey: tlsKey))
        }
        var names = ["localhost", "127.0.0.1", "::1"]
        for name in [ProcessInfo.processInfo.hostName] + announced + [httpHost]
        where !name.isEmpty && name != "0.0.0.0" && name != "::" && !names.contains(name) {
            names.append(name)
        }
        let directory = (web.dataDir as NSString).appendingPathComponent("tls")
        return HttpsConfiguration(hostname: httpHost, port: httpsPort, certificate: .selfSigned(directory: directory, names: names))
    }

    func metricsAccess() throws -> String? {
        do {
            return try SignalingSecrets.token(
                option: "--metrics-token", metricsToken, fileOption: "--metrics-token-file", metricsTokenFile,
                variable: "RELAY_METRICS_TOKEN", environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func origins() throws -> OriginPolicy {
        do {
            return try OriginPolicy(allowing: allowedOrigin)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let signaling = try signaling()
        let origins = try origins()
        var environment = try Environment.detect(arguments: [CommandLine.arguments[0]])
        try LoggingSystem.bootstrap(from: &environment)
        let media: MediaPlane?
        let announced = announcedAddresses
        let cluster = try clusterConfiguration(announced: announced)
        if noMedia {
            media = nil
        } else {
            do {
                guard let listen = TransportAddress(ip: mediaListenIp, port: 0), listen.isIPv4 else {
                    throw ValidationError("--media-listen-ip \(mediaListenIp) is not an IPv4 address")
                }
                let listenAddress = listen.addressBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                media = try MediaPlane(configuration: MediaPlaneConfiguration(
                    workers: workers, firstPort: mediaPort, listenAddress: listenAddress, announcedAddresses: announced,
                    segmentsUdp: udpSegmentation, realtimePriority: mediaRealtimePriority))
            } catch {
                throw ValidationError("media plane: \(error)")
            }
        }
        let app = try await Application.make(environment)
        do {
            try configure(app, WebConfiguration(
                hostname: httpHost, port: httpPort, media: media, webApp: web.configuration(), signaling: signaling,
                origins: origins, https: https(announced: announced), metricsToken: try metricsAccess(), cluster: cluster))
            if let media {
                let ports = media.workers.map { String($0.port) }.joined(separator: ", ")
                let scheduling = media.realtimePriority.map { ", SCHED_FIFO priority \($0)" } ?? ""
                app.logger.notice("media: \(media.workers.count) worker(s)\(scheduling), UDP \(ports), candidates at \(media.announcedAddresses.joined(separator: ", "))")
            }
            // Not Vapor's serve command: it ends the server on the first SIGTERM, where this
            // one drains first.
            let signals = ShutdownSignals()
            try await app.asyncBoot()
            try await app.server.start(address: nil)
            let pidFile = PidFile(dataDirectory: web.dataDir)
            do {
                try pidFile.write()
            } catch {
                app.logger.warning("relay drain will not find this server: \(pidFile.path) could not be written: \(error)")
            }
            await serveUntilDrained(app, signals: signals)
            pidFile.remove()
            // The server's shutdown waits for its connections: WebSockets are told to close, and
            // a client that never answers holds it a few seconds at most.
            await app.openWebSockets.closeAll()
            let server = app.server
            await awaitAtMost(.seconds(2)) { await server.shutdown() }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// Serves until a SIGTERM or SIGINT, then drains: new rooms are refused, participants are
    /// told, and the server returns once its rooms are empty, its drain timeout has passed, or
    /// a second signal came.
    private func serveUntilDrained(_ app: Application, signals: ShutdownSignals) async {
        enum Event {
            case signal(Int32)
            case drained
        }
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        let received = signals.received
        let forwarding = Task {
            for await number in received { continuation.yield(.signal(number)) }
        }
        defer { forwarding.cancel() }
        var signalsSeen = 0
        for await event in events {
            guard case .signal = event else {
                app.logger.notice("drained: exiting")
                break
            }
            signalsSeen += 1
            guard signalsSeen == 1, let registry = app.roomRegistry else {
                app.logger.notice("exiting now")
                break
            }
            let deadline = Date().addingTimeInterval(TimeInterval(max(drainTimeout, 0)))
            _ = await registry.beginDraining(until: deadline)
            await app.clusterMember?.markDraining()
            await registry.moveRoomsAway()
            let (rooms, participants) = (await registry.roomCount, await registry.participantCount)
            app.logger.notice("""
                draining: \(rooms) room(s), \(participants) participant(s) told; \
                no new rooms; exiting when they are empty or in \(max(drainTimeout, 0)) s (send SIGTERM again to exit now)
                """)
            Task {
                while await registry.roomCount > 0, Date() < deadline {
                    try? await Task.sleep(for: .milliseconds(200))
                }
                continuation.yield(.drained)
            }
        }
    }
}
