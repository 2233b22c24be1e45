import Vapor

/// `GET /call/:room`: the call page. One static page serves every room; its script reads the
/// room, and `name`, `mode` and `autojoin` from the address.
struct CallPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("call", ":room") { request async throws -> Response in
            let room = request.parameters.get("room") ?? ""
            guard !room.isEmpty, room.count <= ClientMessage.maximumRoomLength,
                room.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            else {
                throw Abort(.badRequest, reason: "A room name is 1 to \(ClientMessage.maximumRoomLength) letters, digits, '-' or '_'.")
            }
            let path = request.application.directory.publicDirectory + "call/index.html"
            return try await request.fileio.asyncStreamFile(at: path)
        }
    }
}
