import Vapor

/// Listens for the other nodes' chat messages while the application runs.
struct ChatFanOutLifecycle: LifecycleHandler {
    let fanOut: ChatFanOut

    func didBootAsync(_ application: Application) async throws {
        await fanOut.start()
    }

    func shutdownAsync(_ application: Application) async {
        await fanOut.stop()
    }
}
