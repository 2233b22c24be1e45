import Fluent
import Foundation
import NIOCore
import Vapor

/// `/admin`, for admins: the accounts, the blacklist with its add and remove forms, and links to
/// the lottery's statistics.
struct AdminController: RouteCollection {
    struct BlacklistForm: Content {
        var kind: String
        var value: String
        var reason: String?
    }

    struct EntryRow: Encodable {
        var id: String
        var kind: String
        var value: String
        var reason: String
        var createdAt: String
    }

    struct UserRow: Encodable {
        var username: String
        var displayName: String
        var role: String
    }

    struct Context: Encodable {
        var page: PageContext
        var rooms: [LiveRoomRow]
        var entries: [EntryRow]
        var users: [UserRow]
        var ticketCount: Int
        var chatMessageCount: Int
        var clientAddress: String?
        var error: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped("admin").grouped(RoleRequirement.admin)
        admin.get(use: page)
        admin.post("blacklist", use: addEntry)
        admin.post("blacklist", ":id", "delete", use: removeEntry)
        admin.post("rooms", ":room", "end", use: endRoom)
        admin.post("rooms", ":room", "participants", ":id", "remove", use: removeParticipant)
    }

    func endRoom(req: Request) async throws -> Response {
        guard let name = req.parameters.get("room"), let registry = req.application.roomRegistry else {
            throw Abort(.notFound, reason: "No such room.")
        }
        let count = await registry.end(room: name)
        req.logger.notice("admin ended a room", metadata: ["room": .string(name), "participants": .stringConvertible(count)])
        return req.redirect(to: "/admin")
    }

    func removeParticipant(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id"), let registry = req.application.roomRegistry,
            await registry.removeParticipant(id)
        else {
            throw Abort(.notFound, reason: "No such participant: they may have left already.")
        }
        req.logger.notice(
            "admin removed a participant", metadata: ["room": .string(req.parameters.get("room") ?? ""), "participant": .string(id)])
        return req.redirect(to: "/admin")
    }

    func page(req: Request) async throws -> View {
        try await req.view.render("admin", try await context(req, error: nil))
    }

    func addEntry(req: Request) async throws -> Response {
        let form = try req.content.decode(BlacklistForm.self)
        let value = form.value.trimmingCharacters(in: .whitespaces)
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespaces)
        do {
            guard let kind = BlacklistKind(rawValue: form.kind) else {
                throw Abort(.badRequest, reason: "Block an ip or an account.")
            }
            try check(value, as: kind)
            guard reason.count <= 200 else {
                throw Abort(.badRequest, reason: "A reason is at most 200 characters.")
            }
            if kind == .account, value == req.auth.get(User.self)?.username {
                throw Abort(.badRequest, reason: "You cannot block your own account.")
            }
            let existing = try await BlacklistEntry.query(on: req.db)
                .filter(\.$kindName == kind.rawValue).filter(\.$value == value).first()
            if existing == nil {
                try await BlacklistEntry(kind: kind, value: value, reason: reason).save(on: req.db)
            }
        } catch let error as any AbortError {
            return try await req.view.render("admin", try await context(req, error: error.reason))
                .encodeResponse(status: error.status, for: req)
        }
        return req.redirect(to: "/admin")
    }

    func removeEntry(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self),
              let entry = try await BlacklistEntry.find(id, on: req.db) else {
            throw Abort(.notFound, reason: "No such blacklist entry.")
        }
        try await entry.delete(on: req.db)
        return req.redirect(to: "/admin")
    }

    /// An IP entry must parse as an address, so a typo cannot silently block nothing.
    private func check(_ value: String, as kind: BlacklistKind) throws {
        switch kind {
        case .ip:
            guard (try? SocketAddress(ipAddress: value, port: 0)) != nil else {
                throw Abort(.badRequest, reason: "“\(value)” is not an IPv4 or IPv6 address.")
            }
        case .account:
            try AccountRules.checkUsername(value)
        }
    }

    private func context(_ req: Request, error: String?) async throws -> Context {
        let formatter = ISO8601DateFormatter()
        let entries = try await BlacklistEntry.query(on: req.db).sort(\.$createdAt, .descending).all()
        let users = try await User.query(on: req.db).sort(\.$username).limit(500).all()
        let rooms = await req.application.roomRegistry?.liveRooms() ?? []
        return Context(
            page: PageContext(request: req, title: "Admin"),
            rooms: rooms.map(LiveRoomRow.init),
            entries: entries.map {
                EntryRow(
                    id: $0.id?.uuidString ?? "", kind: $0.kindName, value: $0.value, reason: $0.reason,
                    createdAt: $0.createdAt.map(formatter.string(from:)) ?? "")
            },
            users: users.map { UserRow(username: $0.username, displayName: $0.displayName, role: $0.roleName) },
            ticketCount: try await LotteryTicket.query(on: req.db).count(),
            chatMessageCount: try await ChatMessage.query(on: req.db).count(),
            clientAddress: req.remoteAddress?.ipAddress,
            error: error)
    }
}
