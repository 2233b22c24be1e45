import Synchronization

/// Runs `work` and waits for it at most `limit`; past that, returns and leaves it running (the
/// process is about to exit).
public func awaitAtMost(_ limit: Duration, _ work: @escaping @Sendable () async -> Void) async {
    final class Finished: Sendable {
        let flag = Atomic<Bool>(false)
    }
    let finished = Finished()
    Task {
        await work()
        finished.flag.store(true, ordering: .releasing)
    }
    let deadline = ContinuousClock.now + limit
    while !finished.flag.load(ordering: .acquiring), ContinuousClock.now < deadline {
        try? await Task.sleep(for: .milliseconds(20))
    }
}
