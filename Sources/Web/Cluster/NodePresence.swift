import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The node's presence in PostgreSQL: a connection of its own, open while the process lives,
/// whose session is named by `application_name`. A node killed outright has its connection
/// closed by its kernel, PostgreSQL ends the session at once, and the other nodes see the node
/// gone (`ClusterDirectory.liveNode`) without waiting for its lease to run out.
actor NodePresence {
    /// The session's name, as the node's directory row gives it: unique to this start of the
    /// process, letters, digits and `-` only, under PostgreSQL's 63 bytes.
    nonisolated let name: String
    private let configuration: PostgresConnection.Configuration
    private let eventLoop: any EventLoop
    private let logger: Logger
    private var connection: PostgresConnection?
    private var holding: Task<Void, Never>?
    private var stopped = false

    /// How long to wait before opening the connection again after it dropped.
    static let reopenDelay = Duration.seconds(1)

    init(configuration: PostgresConnection.Configuration, eventLoop: any EventLoop, logger: Logger) {
        var configuration = configuration
        name = "relay-node-" + UUID().uuidString.lowercased()
        configuration.options.additionalStartupParameters.append(("application_name", name))
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.logger = logger
    }

    /// Opens the connection, and keeps one open until `stop`. Throws when the first cannot be
    /// opened: a node is not registered with a presence that does not exist.
    func start() async throws {
        guard holding == nil else { return }
        let first = try await open()
        connection = first
        holding = Task { await self.hold() }
    }

    func stop() async {
        stopped = true
        holding?.cancel()
        try? await connection?.close()
        await holding?.value
        holding = nil
        connection = nil
    }

    private func open() async throws -> PostgresConnection {
        try await PostgresConnection.connect(on: eventLoop, configuration: configuration, id: 2, logger: logger).get()
    }

    /// Waits for the connection to drop, then opens it again, until stopped.
    private func hold() async {
        while !stopped {
            if let connection {
                try? await connection.closeFuture.get()
                self.connection = nil
                if stopped { return }
                logger.warning("cluster: the presence connection dropped; the other nodes see this node gone until it is back")
            }
            try? await Task.sleep(for: Self.reopenDelay)
            if stopped { return }
            do {
                connection = try await open()
                logger.notice("cluster: the presence connection is back")
            } catch {
                logger.warning("cluster: could not open the presence connection again: \(String(reflecting: error))")
            }
        }
    }
}
