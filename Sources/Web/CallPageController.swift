import Vapor

/// `GET /call/:room`: the call page. One static page serves every room; its script reads the
/// room, and `name`, `mode` and `autojoin` from the address.
///
/// Browsers give the camera and microphone only to secure pages: HTTPS, or a page from the
/// machine itself (`localhost`). So when the server also serves HTTPS, the call page asked for
/// over plain HTTP by any other name than a loopback one is redirected there; otherwise the
/// page would open only to say the camera is unavailable.
///
/// In a cluster, the page of a room that lives on another node is redirected to that node (303,
/// the query kept), so the page, its signaling and its media are all on the room's node. Only a
/// live owner redirects: a room no node has yet is placed by the page's `join`, not by a GET.
struct CallPageController: RouteCollection {
    /// This node, the cluster's rooms, to find a room's owner, and its directory, for the other
    /// nodes the page may look for its call on should this one stop answering.
    struct Cluster: Sendable {
        let nodeID: String
        let rooms: ClusterRooms
        let directory: ClusterDirectory
    }

    /// The port of the server's own HTTPS, nil when it serves none.
    let httpsPort: Int?
    /// Nil when the server is not in a cluster.
    var cluster: Cluster? = nil

    func boot(routes: any RoutesBuilder) throws {
        routes.get("call", ":room") { request async throws -> Response in
            let room = request.parameters.get("room") ?? ""
            guard !room.isEmpty, room.count <= ClientMessage.maximumRoomLength,
                room.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            else {
                throw Abort(.badRequest, reason: "A room name is 1 to \(ClientMessage.maximumRoomLength) letters, digits, '-' or '_'.")
            }
            if let owner = await owner(of: room, request: request) {
                return request.redirect(to: Self.location(of: room, on: owner, query: request.url.query), redirectType: .normal)
            }
            if let secure = secureLocation(of: request, room: room) {
                return request.redirect(to: secure, redirectType: .temporary)
            }
            request.storage[ConnectSources.self] = await otherNodes(request: request)
            let path = request.application.directory.publicDirectory + "call/index.html"
            return try await request.fileio.asyncStreamFile(at: path)
        }
    }

    /// The node `room` lives on when it is not this one. A database that does not answer serves
    /// the page here: its join then says what is wrong.
    private func owner(of room: String, request: Request) async -> RoomOwner? {
        guard let cluster else { return nil }
        do {
            guard let owner = try await cluster.rooms.owner(of: room), owner.nodeID != cluster.nodeID else { return nil }
            return owner
        } catch {
            request.logger.error("cluster: could not look up the node of room \(room): \(String(reflecting: error))")
            return nil
        }
    }

    /// The origins of the cluster's other live nodes, which the page asks whether they are up
    /// when this node stops answering (README, Cluster, "When a node dies").
    private func otherNodes(request: Request) async -> [String] {
        guard let cluster else { return [] }
        do {
            return try await cluster.directory.liveNodes()
                .filter { $0.id != cluster.nodeID }
                .compactMap { ConnectSources.origin(of: $0.publicURL) }
        } catch {
            request.logger.error("cluster: could not list the other nodes: \(String(reflecting: error))")
            return []
        }
    }

    /// The call page of `room` on `owner`, with the query it was asked with (name, mode, autojoin).
    static func location(of room: String, on owner: RoomOwner, query: String?) -> String {
        owner.publicURL + "/call/" + room + (query.map { "?" + $0 } ?? "")
    }

    /// The HTTPS address of this page, when it came over plain HTTP to a name that is not
    /// loopback and the server has HTTPS to send it to.
    private func secureLocation(of request: Request, room: String) -> String? {
        guard let httpsPort, !request.isServedOverTls, let host = request.headers.first(name: .host) else { return nil }
        let hostname = Self.hostname(of: host)
        guard !hostname.isEmpty, !Self.isLoopback(hostname) else { return nil }
        let bracketed = hostname.contains(":") ? "[\(hostname)]" : hostname
        let query = request.url.query.map { "?" + $0 } ?? ""
        return "https://\(bracketed):\(httpsPort)/call/\(room)\(query)"
    }

    /// `host[:port]` or `[v6]:port` without the port (and brackets); empty if malformed.
    static func hostname(of host: String) -> String {
        if host.hasPrefix("[") {
            guard let end = host.firstIndex(of: "]") else { return "" }
            let address = host[host.index(after: host.startIndex)..<end]
            return address.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." } ? address.lowercased() : ""
        }
        let name = host.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        // Only what a host name or an IPv4 address may hold goes into the redirect.
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" } ? name.lowercased() : ""
    }

    static func isLoopback(_ hostname: String) -> Bool {
        hostname == "localhost" || hostname.hasSuffix(".localhost") || hostname == "::1" || hostname.hasPrefix("127.")
    }
}
