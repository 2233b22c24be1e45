import Foundation
internal import CUDP
import Synchronization

/// The socket loop of one media worker: a thread with its own UDP port, reading and writing in
/// batches (recvmmsg/sendmmsg) and driving a sans-IO `MediaRouter` with datagrams and time.
/// Signaling reaches the router with typed commands (`send`) and reads its counters with
/// `statistics`; both run on the worker thread.
public final class MediaWorker: @unchecked Sendable {
    // Sendable: the router and the batches are touched only on the worker thread; the job
    // queue is behind a mutex and the descriptors are immutable.
    /// What the worker thread is asked to do.
    private enum Job: Sendable {
        case commands([MediaCommand])
        case statistics(CheckedContinuation<MediaStatistics, Never>)
    }

    public let port: UInt16
    private let socket: Int32
    private let wakeup: Int32
    /// Jobs waiting for the worker thread, and whether that thread has ended: once it has, a
    /// job runs on the caller's thread, so none is left waiting forever.
    private let jobs = Mutex<(queue: [Job], ended: Bool)>(([], false))
    private let running = Atomic<Bool>(false)
    nonisolated(unsafe) private let router: MediaRouter
    nonisolated(unsafe) private let receiveBatch: DatagramBatch
    nonisolated(unsafe) private let sendQueue: BatchingSink
    /// Delivers a command the router has for another worker (`MediaRouter.takeUpstream`); set
    /// by the media plane before the worker starts.
    nonisolated(unsafe) var deliverUpstream: (@Sendable (Int, MediaCommand) -> Void)?
    /// The descriptor another worker writes to wake this one: for jobs, and for packets it put
    /// in a pipe to this worker.
    var wakeupDescriptor: Int32 { wakeup }

    /// Binds 0.0.0.0 (or `listenAddress`) at `port` (0 picks a free port). Bound to every
    /// address on a machine with more than one (loopback aside, counted now), it answers each
    /// peer from the address the peer sends to (`ReplySources`): the kernel's route may prefer
    /// another, and a browser drops what comes from an address it did not check. With one, the
    /// route's choice is that address, and the per-datagram work is saved. With `segmentsUdp`,
    /// where the kernel can, a destination's datagrams of one size leave in one segmented send
    /// (`BatchingSink`), and a peer's segmented sends (another relay's over a link, or what a
    /// network card coalesced) are taken whole and cut here (UDP_GRO): the kernel passes each
    /// through its receive path once.
    public init(port: UInt16, listenAddress: UInt32 = 0, segmentsUdp: Bool = true, router: MediaRouter) throws {
        let socket = relay_udp_bind_ipv4(listenAddress, port)
        guard socket >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EADDRINUSE) }
        if listenAddress == 0, LocalInterfaces.nonLoopbackIPv4().count > 1 { _ = relay_udp_report_destinations(socket) }
        let wakeup = relay_wakeup_create()
        guard wakeup >= 0 else {
            close(socket)
            throw POSIXError(.EMFILE)
        }
        self.socket = socket
        self.wakeup = wakeup
        self.port = UInt16(relay_udp_local_port(socket))
        self.router = router
        self.sendQueue = BatchingSink(socket: socket, segments: segmentsUdp && relay_udp_can_segment(socket) == 1)
        let receivesWhole = segmentsUdp && relay_udp_receive_whole(socket) == 0
        self.receiveBatch = DatagramBatch(capacity: 32, bytesPerSlot: receivesWhole ? DatagramBatch.wholeSlotCapacity : DatagramBatch.slotCapacity)
    }

    deinit {
        close(socket)
        close(wakeup)
    }

    /// Starts the worker thread, under SCHED_FIFO at `realtimePriority` if given (which
    /// `MediaPlane` has checked the process may take).
    public func start(name: String, realtimePriority: Int32? = nil) {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in
            // The kernel's name for the thread, which Foundation leaves as another's: how
            // `top -H` and the benchmark tell the workers apart.
            relay_thread_set_name(name)
            if let realtimePriority { _ = relay_thread_set_realtime(realtimePriority) }
            loop()
        }
        thread.name = name
        thread.start()
    }

    /// Stops the loop after its current batch.
    public func stop() {
        running.store(false, ordering: .releasing)
        relay_wakeup_signal(wakeup)
    }

    /// Queues `commands` for the worker thread, which carries them out in order.
    public func send(_ commands: [MediaCommand]) {
        guard !commands.isEmpty else { return }
        submit(.commands(commands))
    }

    /// The router's counters, read on the worker thread (or on this one once it has stopped).
    public func statistics() async -> MediaStatistics {
        await withCheckedContinuation { continuation in submit(.statistics(continuation)) }
    }

    private func submit(_ job: Job) {
        let queued = jobs.withLock { state -> Bool in
            guard !state.ended else {
                // Under the lock, so callers after the stop take turns with the router.
                run(job)
                return false
            }
            state.queue.append(job)
            return true
        }
        if queued { relay_wakeup_signal(wakeup) }
    }

    private func run(_ job: Job) {
        switch job {
        case .commands(let commands):
            let now = Monotonic.now()
            for command in commands { router.execute(command, now: now, sink: sendQueue) }
        case .statistics(let continuation):
            var statistics = router.statistics
            statistics.forwardingDelay = sendQueue.delays
            continuation.resume(returning: statistics)
        }
    }

    /// Runs what signaling asked for.
    private func runJobs() {
        let pending = jobs.withLock { state -> [Job] in
            defer { state.queue.removeAll(keepingCapacity: true) }
            return state.queue
        }
        for job in pending { run(job) }
    }

    private func loop() {
        var descriptors = [
            pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeup, events: Int16(POLLIN), revents: 0),
        ]
        // When the router next needs a pass over its timers: from its last pass, lowered by what
        // input set since (`MediaRouter.takeInputDeadline`).
        var next = router.nextTimeout
        while running.load(ordering: .acquiring) {
            let now = Monotonic.now()
            var waitMilliseconds: Int32 = 200
            if let next {
                waitMilliseconds = next <= now ? 0 : Int32(min((next - now) / 1_000_000 + 1, 200))
            }
            _ = poll(&descriptors, 2, waitMilliseconds)

            var ranJobs = false
            if descriptors[1].revents != 0 {
                relay_wakeup_drain(wakeup)
                runJobs()
                ranJobs = true
            }
            if descriptors[0].revents != 0 { receiveAll() }
            drainPipes()
            if let deadline = router.takeInputDeadline(), deadline < next ?? .max { next = deadline }
            let passNow = Monotonic.now()
            // Commands may set any transport's deadlines; the pass finds them.
            if ranJobs || (next ?? .max) <= passNow {
                next = router.handleTimeout(now: passNow, sink: sendQueue)
            }
            sendQueue.flush()
            sendQueue.takeRefused { router.countDropped(.sendFailed, times: $0) }
            signalPipes()
            deliverUpstreamCommands()
        }
        // Jobs queued before the stop still run; later ones run on their callers' threads.
        let pending = jobs.withLock { state -> [Job] in
            state.ended = true
            defer { state.queue.removeAll() }
            return state.queue
        }
        for job in pending { run(job) }
        sendQueue.flush()
    }

    /// Reads batches until the socket is empty, bounded so timers and commands still run.
    private func receiveAll() {
        for _ in 0..<64 {
            let received = receiveBatch.receive(from: socket)
            guard received > 0 else { return }
            let clock = ClockPair.now()
            for index in 0..<received {
                let bytes = receiveBatch.bytes(at: index)
                guard !bytes.isEmpty, let source = receiveBatch.address(at: index) else {
                    router.countDropped(.truncatedDatagram)
                    continue
                }
                let arrival = receiveBatch.arrival(at: index, clock: clock, fallback: clock.monotonic)
                sendQueue.replySources.learn(receiveBatch.localAddress(at: index), from: source)
                sendQueue.origin = arrival
                let segment = receiveBatch.segmentLength(at: index)
                guard segment > 0, segment < bytes.count else {
                    router.handleDatagram(bytes, from: source, now: clock.monotonic, arrival: arrival, sink: sendQueue)
                    continue
                }
                // Several datagrams taken whole: each `segment` bytes, the last perhaps shorter.
                var start = 0
                while start < bytes.count {
                    let end = min(start + segment, bytes.count)
                    router.handleDatagram(
                        UnsafeMutableRawBufferPointer(rebasing: bytes[start..<end]), from: source, now: clock.monotonic,
                        arrival: arrival, sink: sendQueue)
                    start = end
                }
            }
            sendQueue.origin = 0
            sendQueue.flush()
            // The workers these packets were mirrored to start on them while this one reads on.
            signalPipes()
            if received < receiveBatch.capacity { return }
        }
    }

    /// Forwards what other workers' pipes brought.
    private func drainPipes() {
        for pipe in router.inboundPipes where !pipe.isEmpty {
            let now = Monotonic.now()
            pipe.drain { packet in
                sendQueue.origin = packet.arrival
                router.handleMirrored(packet.bytes, track: packet.track, layer: packet.layer, now: now, arrival: packet.arrival, sink: sendQueue)
            }
            sendQueue.origin = 0
            sendQueue.flush()
        }
    }

    private func signalPipes() {
        for pipe in router.outboundPipes { pipe.signalConsumerIfPushed() }
    }

    private func deliverUpstreamCommands() {
        guard !router.upstream.isEmpty else { return }
        for (worker, command) in router.takeUpstream() { deliverUpstream?(worker, command) }
    }
}

/// The worker's sink: fills a batch and sends it with one `sendmmsg` when full or flushed, and
/// times how long what it sends in answer to a datagram was held (`ForwardingDelayHistogram`).
///
/// Segmenting, a batch holds up to 512 datagrams, the fan-out of about ten packets to a room of
/// 50: the packets of one frame to one subscriber then leave in one segmented send (UDP GSO),
/// which the kernel takes through its IP stack once instead of once per packet.
final class BatchingSink: DatagramSink {
    private let socket: Int32
    private let batch: DatagramBatch
    /// Whether sends are segmented; turned off for good if the kernel refuses one.
    private(set) var segments: Bool
    /// Datagrams the kernel refused, not yet counted by the router.
    private(set) var refused = 0
    /// The arrival (monotonic ns) of the datagram being handled, whose answers are being
    /// queued; 0 while timers send.
    var origin: UInt64 = 0
    /// The origin of each queued datagram, by its place in the batch; allocated once, written
    /// for every datagram queued without an array's uniqueness check.
    private let origins: UnsafeMutableBufferPointer<UInt64>
    private(set) var delays = ForwardingDelayHistogram()
    /// The address each peer sends to, which what is sent it leaves from.
    let replySources = ReplySources()

    init(socket: Int32, segments: Bool = false) {
        self.socket = socket
        self.segments = segments
        batch = DatagramBatch(capacity: segments ? 512 : 64)
        origins = .allocate(capacity: batch.capacity)
        origins.initialize(repeating: 0)
    }

    deinit {
        origins.deallocate()
    }

    /// Hands the refused datagrams to `count` and starts counting again.
    func takeRefused(_ count: (Int) -> Void) {
        guard refused > 0 else { return }
        count(refused)
        refused = 0
    }

    func send(to address: TransportAddress, _ write: (UnsafeMutableRawBufferPointer) -> Int) {
        if batch.isFull { flush() }
        let place = batch.count
        batch.append(to: address, from: replySources.source(for: address), write)
        if batch.count > place { origins[place] = origin }
    }

    func send(to address: TransportAddress, origin: UInt64?, _ write: (UnsafeMutableRawBufferPointer) -> Int) {
        guard let origin else { return send(to: address, write) }
        let current = self.origin
        self.origin = origin
        send(to: address, write)
        self.origin = current
    }

    func flush() {
        guard batch.count > 0 else { return }
        let sent: Int
        if segments {
            let result = batch.sendSegmented(on: socket)
            sent = result.sent
            if result.refused { segments = false }
        } else {
            sent = batch.send(on: socket)
        }
        refused += batch.count - max(sent, 0)
        delays.record(origins: UnsafeBufferPointer(rebasing: origins[..<batch.count]), at: Monotonic.now())
        batch.removeAll()
    }
}
