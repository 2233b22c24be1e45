import Fluent
import Foundation
import Logging
import NIOCore
import PostgresKit

/// Site chat across the nodes of a cluster, over PostgreSQL's LISTEN/NOTIFY: a node that stored a
/// message announces it (`publish`), and every node listens on one dedicated connection and hands
/// the messages of the others to its own sockets.
///
/// The database stays the record: a message is stored before it is announced, so a node that
/// was down, or whose listening connection was being reopened, misses it live only; the page
/// shows it from the history when it loads.
actor ChatFanOut {
    /// This process, as the notices name it: what it published it delivered itself already.
    nonisolated let origin = UUID()
    /// One channel per schema, so that databases shared by several clusters (or test runs, one
    /// schema each) do not hear each other.
    nonisolated let channel: String
    let configuration: PostgresConnection.Configuration
    let database: any Database
    let hub: ChatHub
    let eventLoop: any EventLoop
    let logger: Logger
    private var listening: Task<Void, Never>?
    /// Whether the LISTEN connection is up now.
    private(set) var isListening = false

    /// How long to wait before reopening a listening connection that failed.
    static let reconnectDelay = Duration.seconds(1)

    init(
        configuration: PostgresConnection.Configuration, schema: String?, database: any Database, hub: ChatHub,
        eventLoop: any EventLoop, logger: Logger
    ) {
        self.configuration = configuration
        self.channel = Self.channel(schema: schema)
        self.database = database
        self.hub = hub
        self.eventLoop = eventLoop
        self.logger = logger
    }

    /// `relay_chat`, or `relay_chat_SCHEMA`.
    static func channel(schema: String?) -> String {
        channel("relay_chat", schema: schema)
    }

    /// `prefix`, or `prefix_SCHEMA`. postgres-nio writes the name into its LISTEN statement as a
    /// quoted identifier, so only letters, digits and `_` go in, 63 bytes at most.
    static func channel(_ prefix: String, schema: String?) -> String {
        guard let schema, !schema.isEmpty, prefix.utf8.count + 1 + schema.utf8.count <= 63,
            schema.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_") })
        else { return prefix }
        return prefix + "_" + schema.lowercased()
    }

    /// Announces a stored message to the other nodes. A failure is logged: the message is stored
    /// and delivered here, and the others show it from the history.
    func publish(_ message: ChatMessage) async {
        guard let id = message.id else { return }
        let notice = ChatNotice(origin: origin, id: id, room: message.room, event: .message(message, history: false))
        guard let payload = notice.payload(), let sql = database as? any SQLDatabase else { return }
        do {
            try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").run()
        } catch {
            logger.error("chat: could not announce message \(id) to the other nodes: \(String(reflecting: error))")
        }
    }

    /// Starts listening, and keeps a connection listening until `stop`.
    func start() {
        guard listening == nil else { return }
        listening = Task { await self.listen() }
    }

    func stop() async {
        listening?.cancel()
        await listening?.value
        listening = nil
    }

    private func listen() async {
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    on: eventLoop, configuration: configuration, id: 1, logger: logger
                ).get()
                do {
                    try await connection.listen(on: channel) { notifications in
                        isListening = true
                        for try await notification in notifications {
                            await receive(notification.payload)
                        }
                    }
                } catch {
                    if !Task.isCancelled { logger.warning("chat: listening for other nodes' messages stopped: \(String(reflecting: error))") }
                }
                isListening = false
                try? await connection.close()
            } catch {
                logger.warning("chat: could not open the connection that listens to other nodes: \(String(reflecting: error))")
            }
            try? await Task.sleep(for: Self.reconnectDelay)
        }
    }

    /// Delivers another node's message to the sockets of its room here.
    func receive(_ payload: String) async {
        guard let notice = ChatNotice.decode(payload), notice.origin != origin else { return }
        if let event = notice.event {
            await hub.broadcast(event, to: notice.room)
            return
        }
        do {
            guard let message = try await ChatMessage.find(notice.id, on: database) else { return }
            await hub.broadcast(.message(message, history: false), to: message.room)
        } catch {
            logger.error("chat: could not read message \(notice.id) announced by another node: \(String(reflecting: error))")
        }
    }
}
