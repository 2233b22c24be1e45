import Fluent
import Foundation
import Relay
import Synchronization
import Vapor

/// `GET /chat`: the chat page; `GET /chat/ws?room=NAME`: its WebSocket. On join the last 100
/// messages of the room are replayed; each `{"text": ...}` frame is stored, then sent to the room.
/// In a cluster, each stored message is also announced to the other nodes (`ChatFanOut`), which
/// send it to their sockets of the room. Each socket's frames pass a rate limit (`ChatLimits`); the database keeps a room's latest
/// messages only.
struct ChatController: RouteCollection {
    static let historyLength = 100
    static let maximumTextLength = 500
    /// Bytes as well as characters: a character may be any number of combining scalars, and
    /// each text is sent to everyone in the room and replayed to each who joins.
    static let maximumTextBytes = 2000
    /// Admitted messages of one socket waiting to be stored: the rate limit keeps it near the
    /// burst; a database stalled long enough fills it, and what comes then is refused.
    static let queuedFrames = 32

    struct Context: Encodable {
        var page: PageContext
        var room: String
        var maximumTextLength: Int
    }

    /// Checked before the upgrade: a foreign page gets 403.
    let origins: OriginPolicy
    /// Counts sockets closed for not reading what they are sent.
    let backlog: WebSocketBacklogStatistics

    func boot(routes: any RoutesBuilder) throws {
        let accounts = routes.grouped(RoleRequirement.anyAccount)
        accounts.get("chat", use: page)
        // A message over `WebSocketLimits.chat` (4 KiB, fragments included) closes the socket
        // with 1009; more than 256 KiB unread by the client closes it with 1008.
        accounts.grouped(OriginCheckMiddleware(policy: origins))
            .limitedWebSocket("chat", "ws", limits: .chat, backlog: backlog, shouldUpgrade: checkRoom, onUpgrade: connected)
    }

    func page(req: Request) async throws -> View {
        let requested = req.query[String.self, at: "room"] ?? "lobby"
        guard ChatRoomName.isValid(requested) else {
            throw Abort(.badRequest, reason: "A room name is 1 to 40 letters, digits, dashes or underscores.")
        }
        return try await req.view.render(
            "chat", Context(page: PageContext(request: req, title: "Chat"), room: requested, maximumTextLength: Self.maximumTextLength))
    }

    @Sendable func checkRoom(req: Request) async throws -> HTTPHeaders? {
        guard let room = req.query[String.self, at: "room"], ChatRoomName.isValid(room) else {
            throw Abort(.badRequest, reason: "A room name is 1 to 40 letters, digits, dashes or underscores.")
        }
        return [:]
    }

    /// Runs in the upgrade itself, before the socket reads its first frame, so the handlers
    /// are on when it arrives; the replay and the joining of the room follow on a task.
    @Sendable func connected(req: Request, socket: WebSocket) {
        guard let room = req.query[String.self, at: "room"], let user = req.auth.get(User.self),
              let services = try? req.services else {
            socket.close(code: .policyViolation, promise: nil)
            return
        }
        let hub = services.chat
        let limits = services.configuration.chat
        let author = user.username
        let database = req.application.db
        let fanOut = req.application.chatFanOut
        let id = UUID()
        let bucket = Mutex(TokenBucket(refillPerSecond: limits.messagesPerSecond, capacity: limits.messageBurst))
        // Taken in the synchronous callbacks, as frames arrive, so a refused frame costs no
        // more: an admitted one is queued for the socket's task, which writes to the database.
        @Sendable func admitted() -> Bool {
            guard bucket.withLock({ $0.take(at: Monotonic.now()) }) else {
                socket.send(ChatEvent.error(Self.rateLimitMessage(limits)).encoded())
                return false
            }
            return true
        }
        // One task stores and sends the socket's messages in the order they came: with a task
        // per frame, a later message whose insert finished first was sent first.
        let (frames, queue) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(Self.queuedFrames))
        Task {
            for await text in frames {
                await Self.received(
                    text, room: room, author: author, socket: socket, database: database, hub: hub, fanOut: fanOut,
                    retained: limits.retainedPerRoom)
            }
        }
        socket.onText { socket, text in
            guard admitted() else { return }
            if case .dropped = queue.yield(text) {
                socket.send(ChatEvent.error("The chat is behind; this message was not sent.").encoded())
            }
        }
        socket.onBinary { socket, _ in
            guard admitted() else { return }
            socket.send(ChatEvent.error("Send text frames of JSON.").encoded())
        }
        socket.onClose.whenComplete { _ in
            queue.finish()
            // The callbacks hold the socket (through `admitted`) and the socket holds them as
            // long as it lives: let go of them, or every chat socket ever opened stays in memory.
            socket.onText { _, _ in }
            socket.onBinary { _, _ in }
            Task { await hub.leave(room, id: id) }
        }
        Task { await Self.replayAndJoin(room, id: id, socket: socket, hub: hub, database: database, logger: req.logger) }
    }

    /// Sends the room's last messages, then adds the socket to the room.
    static func replayAndJoin(
        _ room: String, id: UUID, socket: WebSocket, hub: ChatHub, database: any Database, logger: Logger
    ) async {
        do {
            let recent = try await ChatMessage.query(on: database)
                .filter(\.$room == room)
                .sort(\.$createdAt, .descending)
                .limit(Self.historyLength)
                .all()
            for message in recent.reversed() {
                // Fails once the socket is closed, also for not reading: nothing to report.
                guard (try? await socket.send(ChatEvent.message(message, history: true).encoded())) != nil else {
                    break
                }
            }
        } catch {
            logger.report(error: error)
        }
        await hub.join(room, id: id, socket: socket)
        // A socket that closed during the replay has already run its onClose.
        if socket.isClosed {
            await hub.leave(room, id: id)
        }
    }

    static func rateLimitMessage(_ limits: ChatLimits) -> String {
        let rate = limits.messagesPerSecond
        let allowed = rate >= 1 ? "\(Int(rate)) a second" : "one every \(Int((1 / max(rate, 0.001)).rounded())) s"
        return "Too many messages: at most \(allowed). This one was not sent."
    }

    static func received(
        _ frame: String, room: String, author: String, socket: WebSocket, database: any Database, hub: ChatHub,
        fanOut: ChatFanOut? = nil, retained: Int
    ) async {
        guard let input = try? JSONDecoder().decode(ChatInput.self, from: Data(frame.utf8)) else {
            try? await socket.send(ChatEvent.error(#"Send {"text": "..."}."#).encoded())
            return
        }
        let text = input.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= maximumTextLength, text.utf8.count <= maximumTextBytes else {
            try? await socket.send(
                ChatEvent.error("A message is 1 to \(maximumTextLength) characters, at most \(maximumTextBytes) bytes.").encoded())
            return
        }
        let message = ChatMessage(room: room, authorName: author, text: text)
        do {
            try await message.save(on: database)
        } catch {
            try? await socket.send(ChatEvent.error("The message could not be stored; try again.").encoded())
            return
        }
        await hub.broadcast(.message(message, history: false), to: room)
        // Stored first: the other nodes are told only of a message the history has.
        await fanOut?.publish(message)
        do {
            try await ChatMessage.keepLatest(retained, in: room, on: database)
        } catch {
            // The message is stored and sent; the next one prunes the room again.
            database.logger.error("chat: could not delete the old messages of room \(room): \(error)")
        }
    }
}
