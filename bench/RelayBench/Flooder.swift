import Foundation
import Relay
import Synchronization

/// Floods the relay's media port from a thread of its own: the lanes of `FloodLane.mix` in
/// turn (each kind by its share), in batches of one lane through `sendmmsg`, from several
/// sockets, paced to `rate` datagrams a second. It counts what the kernel took of each kind and
/// for each drop reason the relay should count, and reads the relay's answers (to STUN that
/// named a real transport) so they do not pile up.
final class Flooder: @unchecked Sendable {
    // Sendable: everything but `counts` and `stopping` is set before the thread starts and
    // only read after; `counts` is written by the flood thread alone and read once `stop()`
    // has waited for it to end.
    struct Counts: Sendable {
        var sentByKind: [FloodKind: UInt64] = [:]
        var expected: [DropReason: UInt64] = [:]
        /// Datagrams the flooder's own kernel refused to send: not sent, not expected.
        var refused: UInt64 = 0
        /// Datagrams the relay sent back (error responses to STUN).
        var responses: UInt64 = 0
        var seconds: Double = 0
        var total: UInt64 { sentByKind.values.reduce(0, +) }
    }

    static let batchSize = 16
    let rate: Int
    let target: FloodTarget
    private let sockets: [Int32]
    var socketCount: Int { sockets.count }
    /// Lanes in the order they are sent: each kind as often as its share.
    private let schedule: [FloodLane]
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private var counts = Counts()

    init(target: FloodTarget, rate: Int, socketCount: Int = 4) throws {
        self.rate = rate
        self.target = target
        var sockets: [Int32] = []
        for _ in 0..<max(socketCount, 1) {
            let socket = BenchSocket.bindLoopback()
            guard socket >= 0 else {
                for open in sockets { close(open) }
                throw BenchPeer.Failure.socket(errno)
            }
            sockets.append(socket)
        }
        self.sockets = sockets
        let mix = FloodLane.mix(for: target)
        // Weighted round robin: a kind with share 4 appears four times per round, and its own
        // lanes take turns within those slots.
        var schedule: [FloodLane] = []
        var turn: [FloodKind: Int] = [:]
        let rounds = mix.values.map(\.count).reduce(1) { $0 * $1 / gcd($0, $1) }
        for _ in 0..<rounds {
            for kind in FloodKind.allCases {
                guard let lanes = mix[kind], !lanes.isEmpty else { continue }
                for _ in 0..<kind.share {
                    let index = turn[kind, default: 0]
                    schedule.append(lanes[index % lanes.count])
                    turn[kind] = index + 1
                }
            }
        }
        self.schedule = schedule
    }

    deinit {
        for socket in sockets { close(socket) }
    }

    func start() {
        let thread = Thread { [self] in
            flood()
            finished.signal()
        }
        thread.name = "flooder"
        thread.start()
    }

    /// Stops the flood and waits for its thread; returns what it sent.
    func stop() -> Counts {
        stopping.store(true, ordering: .releasing)
        finished.wait()
        return counts
    }

    private func flood() {
        let batch = DatagramBatch(capacity: Self.batchSize)
        let replies = DatagramBatch(capacity: 64)
        var variant = [Int](repeating: 0, count: schedule.count)
        var slot = 0
        var socketIndex = 0
        var attempted = 0
        let start = Monotonic.now()
        let interval = 1e9 / Double(max(rate, 1))
        while !stopping.load(ordering: .acquiring) {
            let elapsed = Monotonic.now() - start
            let due = Int(Double(elapsed) / interval) - attempted
            if due <= 0 {
                for socket in sockets {
                    while replies.receive(from: socket) > 0 { counts.responses &+= UInt64(replies.count) }
                }
                // The next batch is due in batchSize intervals; sleep a fraction of that.
                usleep(UInt32(max(50, min(1000, interval * Double(Self.batchSize) / 4000))))
                continue
            }
            // A stall does not turn into one huge burst: at most 64 batches before looking again.
            for _ in 0..<min(64, (due + Self.batchSize - 1) / Self.batchSize) {
                let lane = schedule[slot]
                let socket = sockets[socketIndex]
                socketIndex = (socketIndex + 1) % sockets.count
                var next = variant[slot]
                let sent: Int
                let tried: Int
                if lane.unbatched {
                    tried = 1
                    sent = send(lane.datagrams[next % lane.datagrams.count], on: socket) ? 1 : 0
                    next += 1
                } else {
                    batch.removeAll()
                    while !batch.isFull {
                        lane.datagrams[next % lane.datagrams.count].withUnsafeBytes { _ = batch.append($0, to: target.address) }
                        next += 1
                    }
                    tried = batch.count
                    sent = max(batch.send(on: socket), 0)
                }
                variant[slot] = next
                slot = (slot + 1) % schedule.count
                attempted += tried
                counts.sentByKind[lane.kind, default: 0] &+= UInt64(sent)
                counts.expected[lane.expected, default: 0] &+= UInt64(sent)
                counts.refused &+= UInt64(tried - sent)
            }
        }
        counts.seconds = Double(Monotonic.now() - start) / 1e9
    }

    /// One datagram by `sendto`, for what a batch cannot carry.
    private func send(_ datagram: [UInt8], on socket: Int32) -> Bool {
        var storage = sockaddr_in()
        storage.sin_family = sa_family_t(AF_INET)
        storage.sin_port = target.address.port.bigEndian
        let bytes = target.address.addressBytes
        storage.sin_addr.s_addr = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
        let result = datagram.withUnsafeBytes { raw in
            withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(socket, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        return result == datagram.count
    }
}

private func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
