import DTLS
import Foundation

/// The relay's media plane: one `MediaWorker` per configured worker, each with its own UDP port
/// and router, sharing one DTLS certificate. Signaling picks a worker per room and sends it
/// commands; what the routers report arrives on `events`.
public final class MediaPlane: Sendable {
    public let workers: [MediaWorker]
    public let fingerprint: CertificateFingerprint
    public let announcedAddresses: [String]
    public let events: AsyncStream<RouterEvent>
    private let eventContinuation: AsyncStream<RouterEvent>.Continuation

    public init(configuration: MediaPlaneConfiguration) throws(MediaPlaneError) {
        guard (1...64).contains(configuration.workers) else { throw .invalidWorkerCount(configuration.workers) }
        guard !configuration.announcedAddresses.isEmpty else { throw .invalidAnnouncedAddress("") }
        for address in configuration.announcedAddresses where TransportAddress(ip: address, port: 0) == nil {
            throw .invalidAnnouncedAddress(address)
        }
        let (events, continuation) = AsyncStream.makeStream(of: RouterEvent.self)
        let certificate: DtlsCertificate
        do {
            certificate = try DtlsCertificate.generate(commonName: "relay")
        } catch {
            throw .certificate(String(describing: error))
        }
        var workers: [MediaWorker] = []
        for index in 0..<configuration.workers {
            // One context per worker: nothing OpenSSL-side is shared between worker threads.
            let context: DtlsContext
            do {
                context = try DtlsContext(role: .server, certificate: certificate)
            } catch {
                throw .certificate(String(describing: error))
            }
            let router = MediaRouter(dtlsContext: context) { continuation.yield($0) }
            let port = configuration.firstPort == 0 ? 0 : configuration.firstPort &+ UInt16(index)
            do {
                workers.append(try MediaWorker(
                    port: port, listenAddress: configuration.listenAddress, segmentsUdp: configuration.segmentsUdp, router: router))
            } catch {
                throw .portUnavailable(port, errno: errno)
            }
        }
        self.workers = workers
        self.fingerprint = certificate.fingerprint
        self.announcedAddresses = configuration.announcedAddresses
        self.events = events
        self.eventContinuation = continuation
    }

    public func start() {
        for (index, worker) in workers.enumerated() { worker.start(name: "relay-media-\(index)") }
    }

    public func stop() {
        for worker in workers { worker.stop() }
        eventContinuation.finish()
    }

    /// The host candidates clients reach worker `index` at, most preferred first.
    public func candidates(ofWorker index: Int) -> [TransportAddress] {
        announcedAddresses.compactMap { TransportAddress(ip: $0, port: workers[index].port) }
    }

    /// The counters of every worker, read on each worker's own thread.
    public func statistics() async -> MediaStatistics {
        var total = MediaStatistics()
        for worker in workers {
            total = total + (await worker.statistics())
        }
        return total
    }
}
