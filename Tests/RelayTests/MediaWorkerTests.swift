import DTLS
import Foundation
import Testing
@testable import Relay

@Suite struct MediaWorkerTests {
    /// The worker's transport count, read on its thread, or nil when no answer came within two
    /// seconds.
    static func transportCount(of worker: MediaWorker) async -> Int? {
        await withTaskGroup(of: Int?.self) { group in
            group.addTask { await worker.statistics().transports }
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
        worker.send([.openTransport(Self.setup(id: 1, certificate: certificate))])
        #expect(await Self.transportCount(of: worker) == 1, "commands run in order, before a later read")
        worker.stop()
        // The loop wakes at least every 200 ms; after that the thread has ended.
        try await Task.sleep(for: .milliseconds(400))
        worker.send([.openTransport(Self.setup(id: 2, certificate: certificate))])
        #expect(await Self.transportCount(of: worker) == 2, "commands after the stop are carried out and answered")
    }

    @Test func aCommandThatFailsComesBackAsAnEvent() async throws {
        let certificate = try DtlsCertificate.generate()
        let (events, continuation) = AsyncStream.makeStream(of: RouterEvent.self)
        let router = MediaRouter(dtlsContext: try DtlsContext(role: .server, certificate: certificate)) {
            continuation.yield($0)
        }
        let worker = try MediaWorker(port: 0, listenAddress: 0x7F00_0001, router: router)
        worker.start(name: "relay-media-test")
        defer { worker.stop() }
        let setup = Self.setup(id: 7, certificate: certificate)
        worker.send([.openTransport(setup), .openTransport(setup)])
        var iterator = events.makeAsyncIterator()
        #expect(await iterator.next() == .transportClosed(TransportID(7), .setupFailed(.duplicate(TransportID(7)))))
    }

    static func setup(id: UInt64, certificate: DtlsCertificate) -> TransportSetup {
        TransportSetup(
            id: TransportID(id), localCredentials: .random(), remoteCredentials: .random(),
            remoteFingerprint: certificate.fingerprint)
    }
}
