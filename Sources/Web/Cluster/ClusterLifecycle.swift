import Vapor

/// Joins the cluster once the application has booted (its migrations have run), then has the
/// rooms placed through it; leaves it when the application shuts down, before the database closes.
/// With a media plane, rooms span nodes: the node channel listens before the node registers, so
/// no other node sends to it before it hears.
struct ClusterLifecycle: LifecycleHandler {
    let member: ClusterMember
    let registry: RoomRegistry
    let placement: ClusterRoomPlacement
    let span: (ClusterSpan, NodeChannel)?

    func didBootAsync(_ application: Application) async throws {
        if let pair = span {
            let (clusterSpan, channel) = pair
            let registry = registry
            await channel.start { message in await registry.receive(message) }
            await registry.useSpan(clusterSpan)
            await member.observeNodes { nodes in await registry.spanNodesChanged(nodes) }
        }
        try await member.join()
        await registry.use(placement)
    }

    func shutdownAsync(_ application: Application) async {
        await member.leave()
        await span?.1.stop()
    }
}
