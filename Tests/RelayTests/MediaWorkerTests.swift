import DTLS
import Foundation
import Testing
@testable import Relay

@Suite struct MediaWorkerTests {
    /// Runs a command on `worker` and gives its answer, or nil when none came within two
    /// seconds.
    static func transportCount(of worker: MediaWorker) async -> Int? {
        await withTaskGroup(of: Int?.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    worker.perform { router, _ in continuation.resume(returning: router.transportCount) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(2))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    @Test func commandsRunBeforeAndAfterTheWorkerStops() async throws {
        let certificate = try DtlsCertificate.generate()
        let router = MediaRouter(dtlsContext: try DtlsContext(role: .server, certificate: certificate), onEvent: { _ in })
        let worker = try MediaWorker(port: 0, listenAddress: 0x7F00_0001, router: router)
        worker.start(name: "relay-media-test")
        #expect(await Self.transportCount(of: worker) == 0)
        worker.stop()
        // The loop wakes at least every 200 ms; after that the thread has ended.
        try await Task.sleep(for: .milliseconds(400))
        #expect(await Self.transportCount(of: worker) == 0, "a command after the stop is answered, not left waiting")
    }
}
