import Vapor

/// `GET /cluster`, for admins: the live nodes of the cluster as JSON, each with its addresses,
/// load, lease and whether it drains. Read-only; a server not in a cluster answers 404.
struct ClusterController: RouteCollection {
    let member: ClusterMember?

    struct Listing: Content {
        /// The node that answered.
        var node: String
        var nodes: [ClusterNode]
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RoleRequirement.admin).get("cluster", use: list)
    }

    func list(req: Request) async throws -> Listing {
        guard let member else {
            throw Abort(.notFound, reason: "This server is not part of a cluster (relay serve --cluster).")
        }
        return Listing(node: member.nodeID, nodes: try await member.directory.liveNodes())
    }
}
