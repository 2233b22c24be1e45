import Fluent
import Synchronization
import Vapor

/// Deletes expired sessions when the application has booted and every hour after, so sessions
/// nobody comes back to do not pile up.
final class SessionPruner: LifecycleHandler, Sendable {
    static let interval = Duration.seconds(3600)

    private let task = Mutex<Task<Void, Never>?>(nil)

    func didBootAsync(_ application: Application) async throws {
        try await AccountSession.prune(on: application.db)
        let database = application.db
        let logger = application.logger
        task.withLock {
            $0 = Task {
                while !Task.isCancelled {
                    do {
                        try await Task.sleep(for: Self.interval)
                        try await AccountSession.prune(on: database)
                    } catch is CancellationError {
                        return
                    } catch {
                        logger.report(error: error)
                    }
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        task.withLock { $0?.cancel() }
    }
}
