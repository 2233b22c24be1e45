import Vapor

/// Joins the cluster once the application has booted (its migrations have run) and leaves it
/// when the application shuts down, before the database closes.
struct ClusterLifecycle: LifecycleHandler {
    let member: ClusterMember

    func didBootAsync(_ application: Application) async throws {
        try await member.join()
    }

    func shutdownAsync(_ application: Application) async {
        await member.leave()
    }
}
