import Foundation
import Logging
import NIOCore
import PostgresKit

/// The cluster's node-to-node channel, over PostgreSQL's LISTEN/NOTIFY: a room's node drives
/// the media it placed on another node with it, and hears back. Every node listens on one
/// dedicated connection and keeps the notices addressed to it; what a node sends goes out in
/// order, one notice after the other (each NOTIFY commits before the next is sent, so they
/// arrive in that order).
///
/// The channel trusts the database: whoever may NOTIFY on it may drive a node's media, as
/// whoever may write its tables may place its rooms.
actor NodeChannel {
    nonisolated let nodeID: String
    nonisolated let channel: String
    private let configuration: PostgresConnection.Configuration
    private let database: any SQLDatabase
    private let eventLoop: any EventLoop
    private let logger: Logger
    private let outbox: AsyncStream<String>.Continuation
    private let queued: AsyncStream<String>
    private var sending: Task<Void, Never>?
    private var listening: Task<Void, Never>?

    static let reconnectDelay = Duration.seconds(1)

    init(
        nodeID: String, configuration: PostgresConnection.Configuration, schema: String?, database: any SQLDatabase,
        eventLoop: any EventLoop, logger: Logger
    ) {
        self.nodeID = nodeID
        channel = ChatFanOut.channel("relay_nodes", schema: schema)
        self.configuration = configuration
        self.database = database
        self.eventLoop = eventLoop
        self.logger = logger
        (queued, outbox) = AsyncStream.makeStream(of: String.self)
    }

    /// Queues `body` for node `node`; sent after everything queued before it.
    nonisolated func send(to node: String, _ body: NodeMessage.Body) {
        guard let payloads = NodeMessage.payloads(from: nodeID, to: node, body) else {
            logger.error("cluster: a message for node \(node) is too large for the node channel; not sent")
            return
        }
        for payload in payloads { outbox.yield(payload) }
    }

    /// Starts sending and listening; `receive` gets every message addressed to this node, in order.
    func start(receive: @escaping @Sendable (NodeMessage) async -> Void) {
        guard listening == nil else { return }
        let queued = queued
        let database = database
        let channel = channel
        let logger = logger
        sending = Task {
            for await payload in queued {
                do {
                    try await database.raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").run()
                } catch {
                    logger.error("cluster: could not send on the node channel: \(String(reflecting: error))")
                }
            }
        }
        listening = Task { await self.listen(receive) }
    }

    func stop() async {
        listening?.cancel()
        await listening?.value
        listening = nil
        outbox.finish()
        await sending?.value
        sending = nil
    }

    private func listen(_ receive: @escaping @Sendable (NodeMessage) async -> Void) async {
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    on: eventLoop, configuration: configuration, id: 3, logger: logger
                ).get()
                do {
                    try await connection.listen(on: channel) { notifications in
                        for try await notification in notifications {
                            guard let message = NodeMessage.decode(notification.payload), message.to == nodeID else { continue }
                            await receive(message)
                        }
                    }
                } catch {
                    if !Task.isCancelled { logger.warning("cluster: the node channel stopped: \(String(reflecting: error))") }
                }
                try? await connection.close()
            } catch {
                logger.warning("cluster: could not open the node channel: \(String(reflecting: error))")
            }
            try? await Task.sleep(for: Self.reconnectDelay)
        }
    }
}
