internal import CUDP
import Synchronization

/// A one-way lane between two media workers for the packets of mirrored tracks: a room spread
/// over workers has a track published on one and subscribers on others, and each of those gets
/// every packet of the track once, through this pipe, to fan out to its own subscribers.
///
/// A ring of fixed slots with one producer (the publishing worker's thread) and one consumer
/// (the subscribing worker's thread), no lock: the producer publishes a slot by storing the tail
/// with release ordering after writing it, the consumer frees one by storing the head after
/// reading it. A full pipe refuses the packet (the router counts it) rather than wait: a
/// worker never blocks on another.
public final class WorkerPipe: @unchecked Sendable, Equatable {
    // Sendable: `slots` is written by the producer only in slots the consumer has freed, and
    // read by the consumer only in slots the producer has published (the atomics order both);
    // `pushedSinceSignal` belongs to the producer's thread.
    /// Bytes of a slot: its header (track, arrival, length, layer) and the largest datagram.
    static let slotSize = 1_536
    static let headerSize = 24
    static let maximumPacketLength = slotSize - headerSize

    /// Bytes every pipe of a media plane may take together, were each ordered pair of workers
    /// to have one; each pipe gets 1,024 slots at most and 128 at least (the 4,032 pipes of 64
    /// workers would then take 756 MiB, for rooms spread over all 64 with publishers on each).
    static let planeBudget = 64 << 20
    static let slotRange = 128...1_024

    /// Slots a pipe gets on a plane of `workers` workers: `planeBudget` shared by every ordered
    /// pair, rounded down to a power of two, within `slotRange`.
    static func slots(forWorkers workers: Int) -> Int {
        let pairs = max(workers * (workers - 1), 1)
        let share = planeBudget / (pairs * slotSize)
        var slots = slotRange.lowerBound
        while slots * 2 <= min(share, slotRange.upperBound) { slots *= 2 }
        return slots
    }

    /// The worker the packets come from, and the one they go to.
    public let origin: Int
    public let consumer: Int
    let capacity: Int
    private let slots: UnsafeMutableRawPointer
    /// The next slot the consumer reads, and the next the producer writes; they only grow.
    private let head = Atomic<Int>(0)
    private let tail = Atomic<Int>(0)
    private var pushedSinceSignal = false
    /// The consumer's wakeup descriptor (an eventfd), which `signalConsumer` writes; -1 for none.
    private let consumerWakeup: Int32

    /// A packet as the consumer reads it.
    struct Packet {
        let track: TrackID
        let layer: Int
        /// When the packet reached the machine (monotonic ns), on the publishing worker.
        let arrival: UInt64
        let bytes: UnsafeRawBufferPointer
    }

    /// `capacity` slots, rounded up to a power of two.
    init(origin: Int, consumer: Int, capacity: Int = 1_024, consumerWakeup: Int32 = -1) {
        var slotsCount = 1
        while slotsCount < capacity { slotsCount <<= 1 }
        self.origin = origin
        self.consumer = consumer
        self.capacity = slotsCount
        self.consumerWakeup = consumerWakeup
        slots = .allocate(byteCount: slotsCount * Self.slotSize, alignment: 16)
    }

    deinit {
        slots.deallocate()
    }

    public static func == (lhs: WorkerPipe, rhs: WorkerPipe) -> Bool { lhs === rhs }

    /// Producer: copies `packet` into the next slot; false when the pipe is full or the packet
    /// empty or longer than a datagram.
    func push(_ packet: UnsafeRawBufferPointer, track: TrackID, layer: Int, arrival: UInt64) -> Bool {
        guard let source = packet.baseAddress, (1...Self.maximumPacketLength).contains(packet.count), (0...255).contains(layer) else {
            return false
        }
        let next = tail.load(ordering: .relaxed)
        guard next - head.load(ordering: .acquiring) < capacity else { return false }
        let slot = slots + (next & (capacity - 1)) * Self.slotSize
        slot.storeBytes(of: track.value, as: UInt64.self)
        slot.storeBytes(of: arrival, toByteOffset: 8, as: UInt64.self)
        slot.storeBytes(of: UInt16(packet.count), toByteOffset: 16, as: UInt16.self)
        slot.storeBytes(of: UInt8(layer), toByteOffset: 18, as: UInt8.self)
        (slot + Self.headerSize).copyMemory(from: source, byteCount: packet.count)
        tail.store(next + 1, ordering: .releasing)
        pushedSinceSignal = true
        return true
    }

    /// Producer: wakes the consumer if anything was pushed since the last call. Called once per
    /// batch of datagrams, not per packet.
    func signalConsumerIfPushed() {
        guard pushedSinceSignal else { return }
        pushedSinceSignal = false
        if consumerWakeup >= 0 { relay_wakeup_signal(consumerWakeup) }
    }

    /// Consumer: hands every packet waiting to `body`, oldest first, each slot freed once
    /// `body` returns; returns how many. At most `capacity` in one call, so a producer that
    /// keeps pushing does not hold the consumer here.
    @discardableResult
    func drain(_ body: (Packet) -> Void) -> Int {
        let first = head.load(ordering: .relaxed)
        let last = min(tail.load(ordering: .acquiring), first + capacity)
        var index = first
        while index < last {
            let slot = UnsafeRawPointer(slots + (index & (capacity - 1)) * Self.slotSize)
            let length = Int(slot.loadUnaligned(fromByteOffset: 16, as: UInt16.self))
            body(Packet(
                track: TrackID(slot.loadUnaligned(as: UInt64.self)),
                layer: Int(slot.load(fromByteOffset: 18, as: UInt8.self)),
                arrival: slot.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                bytes: UnsafeRawBufferPointer(start: slot + Self.headerSize, count: length)))
            index += 1
            head.store(index, ordering: .releasing)
        }
        return last - first
    }

    /// Whether the consumer has nothing to read (either thread; a hint only).
    var isEmpty: Bool { head.load(ordering: .relaxed) == tail.load(ordering: .acquiring) }
}
