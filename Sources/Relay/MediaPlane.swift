import DTLS
import Foundation
internal import CUDP
import Synchronization

/// The relay's media plane: one `MediaWorker` per configured worker, each with its own UDP port
/// and router, sharing one DTLS certificate. Signaling picks a worker per participant (its
/// room's, until the room is spread over several) and sends it commands, and has a track
/// published on one worker mirrored to another with subscribers of it (`mirror`); what the
/// routers report arrives on `events`.
public final class MediaPlane: Sendable {
    public let workers: [MediaWorker]
    /// The pipes between workers made so far, by origin and consumer: made when a track is
    /// first mirrored between the two, kept after (`WorkerPipe.slots(forWorkers:)` of 1,536
    /// bytes each).
    private let pipes = Mutex<[PipeKey: WorkerPipe]>([:])
    private struct PipeKey: Hashable {
        let origin: Int
        let consumer: Int
    }
    public let fingerprint: CertificateFingerprint
    public let announcedAddresses: [String]
    /// The workers' SCHED_FIFO priority, or nil (`MediaPlaneConfiguration.realtimePriority`).
    public let realtimePriority: Int32?
    public let events: AsyncStream<RouterEvent>
    private let eventContinuation: AsyncStream<RouterEvent>.Continuation

    public init(configuration: MediaPlaneConfiguration) throws(MediaPlaneError) {
        guard (1...64).contains(configuration.workers) else { throw .invalidWorkerCount(configuration.workers) }
        guard !configuration.announcedAddresses.isEmpty else { throw .invalidAnnouncedAddress("") }
        for address in configuration.announcedAddresses where TransportAddress(ip: address, port: 0) == nil {
            throw .invalidAnnouncedAddress(address)
        }
        if let priority = configuration.realtimePriority {
            guard (1...99).contains(priority) else { throw .invalidRealtimePriority(priority) }
            // Asked now, so a relay that may not have it fails at start rather than forward at
            // ordinary priority while its operator believes otherwise.
            let refusal = relay_realtime_allowed(priority)
            guard refusal == 0 else { throw .realtimeRefused(priority, errno: refusal) }
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
        self.realtimePriority = configuration.realtimePriority
        self.events = events
        self.eventContinuation = continuation
        for worker in workers {
            worker.deliverUpstream = { [weak self] index, command in self?.workers[index].send([command]) }
        }
    }

    /// Worker `consumer` gets every packet of `track`, published on worker `origin`, to forward
    /// to subscribers there (a room spread over workers); subscribe them on `consumer` after this.
    public func mirror(_ track: TrackDescription, from origin: Int, to consumer: Int) {
        guard origin != consumer, workers.indices.contains(origin), workers.indices.contains(consumer) else { return }
        let pipe = pipe(from: origin, to: consumer)
        workers[consumer].send([.addMirroredTrack(track, through: pipe)])
        workers[origin].send([.mirrorTrack(track.id, through: pipe)])
    }

    /// Ends a mirror that `mirror` made.
    public func stopMirroring(_ track: TrackID, from origin: Int, to consumer: Int) {
        guard origin != consumer, workers.indices.contains(origin), workers.indices.contains(consumer) else { return }
        let pipe = pipe(from: origin, to: consumer)
        workers[origin].send([.stopMirroring(track, through: pipe)])
        workers[consumer].send([.removeTrack(track)])
    }

    private func pipe(from origin: Int, to consumer: Int) -> WorkerPipe {
        pipes.withLock { pipes in
            let key = PipeKey(origin: origin, consumer: consumer)
            if let pipe = pipes[key] { return pipe }
            let pipe = WorkerPipe(
                origin: origin, consumer: consumer, capacity: WorkerPipe.slots(forWorkers: workers.count),
                consumerWakeup: workers[consumer].wakeupDescriptor)
            pipes[key] = pipe
            return pipe
        }
    }

    public func start() {
        for (index, worker) in workers.enumerated() { worker.start(name: "relay-media-\(index)", realtimePriority: realtimePriority) }
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
