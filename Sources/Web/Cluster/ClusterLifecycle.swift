import Vapor

/// Joins the cluster once the application has booted (its migrations have run), then has the
/// rooms placed through it; leaves it when the application shuts down, before the database closes.
struct ClusterLifecycle: LifecycleHandler {
    let member: ClusterMember
    let registry: RoomRegistry
    let placement: ClusterRoomPlacement

    func didBootAsync(_ application: Application) async throws {
        try await member.join()
        await registry.use(placement)
    }

    func shutdownAsync(_ application: Application) async {
        await member.leave()
    }
}
