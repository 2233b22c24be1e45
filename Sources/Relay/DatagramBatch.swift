internal import CUDP

/// Preallocated datagram slots: the receive buffers of one `recvmmsg` and the send queue of one
/// `sendmmsg`. Allocated once per worker; nothing on the packet path allocates.
public final class DatagramBatch {
    /// Bytes a slot holds by default: any datagram the relay sends or accepts.
    public static let slotCapacity = 2048
    /// Bytes a receive slot needs on a socket that takes segmented sends whole: a UDP payload.
    public static let wholeSlotCapacity = 65_536

    let slots: UnsafeMutablePointer<relay_udp_slot>
    private let storage: UnsafeMutableRawPointer
    public let capacity: Int
    public internal(set) var count = 0
    /// Scratch for segmented sends, made at the first one.
    private var plan: OpaquePointer?

    /// Bytes each slot holds.
    public let bytesPerSlot: Int

    public init(capacity: Int = 64, bytesPerSlot: Int = DatagramBatch.slotCapacity) {
        self.capacity = capacity
        self.bytesPerSlot = bytesPerSlot
        storage = UnsafeMutableRawPointer.allocate(byteCount: capacity * bytesPerSlot, alignment: 16)
        slots = UnsafeMutablePointer<relay_udp_slot>.allocate(capacity: capacity)
        for index in 0..<capacity {
            (slots + index).initialize(to: relay_udp_slot())
            slots[index].buffer = storage + index * bytesPerSlot
            slots[index].capacity = bytesPerSlot
        }
    }

    deinit {
        relay_udp_send_plan_destroy(plan)
        slots.deinitialize(count: capacity)
        slots.deallocate()
        storage.deallocate()
    }

    public var isFull: Bool { count == capacity }

    /// The bytes of slot `index` up to its length.
    public func bytes(at index: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: slots[index].buffer, count: slots[index].length)
    }

    /// The length of each datagram slot `index` holds when it received several at once (a
    /// segmented send taken whole, UDP_GRO; the last may be shorter), else 0.
    public func segmentLength(at index: Int) -> Int {
        slots[index].segment_length
    }

    /// When slot `index`'s datagram arrived, on the monotonic clock: the kernel's receive
    /// timestamp moved from the wall clock by `clock`, or `fallback` without one. Bounded by
    /// `fallback` and a second before it, so a step of the wall clock cannot send it far.
    public func arrival(at index: Int, clock: ClockPair, fallback: UInt64) -> UInt64 {
        let stamp = slots[index].arrival_realtime_ns
        guard stamp > 0, stamp <= clock.realtime else { return fallback }
        let age = clock.realtime - stamp
        guard age < 1_000_000_000, age <= clock.monotonic else { return fallback }
        return min(clock.monotonic - age, fallback)
    }

    /// The IPv4 address (host order) slot `index`'s datagram was sent to, on a socket bound to
    /// every address; 0 when unknown.
    public func localAddress(at index: Int) -> UInt32 {
        slots[index].local_address
    }

    /// Where slot `index`'s datagram came from (receive) or goes to (send).
    public func address(at index: Int) -> TransportAddress? {
        SocketAddressConversion.transportAddress(from: &slots[index].address)
    }

    /// Appends a datagram to send, from `source` (an IPv4 address in host order; 0 lets the
    /// kernel choose): `write` fills the slot's buffer and returns the length used. Returns
    /// false when the batch is full; the caller flushes and tries again.
    @discardableResult
    public func append(
        to address: TransportAddress, from source: UInt32 = 0, _ write: (UnsafeMutableRawBufferPointer) -> Int
    ) -> Bool {
        guard count < capacity else { return false }
        let slot = slots + count
        let length = write(UnsafeMutableRawBufferPointer(start: slot.pointee.buffer, count: bytesPerSlot))
        guard length > 0 else { return true }
        slot.pointee.length = length
        slot.pointee.address_length = SocketAddressConversion.fill(&slot.pointee.address, with: address)
        slot.pointee.local_address = source
        count += 1
        return true
    }

    /// Appends a copy of `bytes`.
    @discardableResult
    public func append(_ bytes: UnsafeRawBufferPointer, to address: TransportAddress) -> Bool {
        guard bytes.count <= bytesPerSlot else { return true }
        return append(to: address) { buffer in
            buffer.copyMemory(from: bytes)
            return bytes.count
        }
    }

    public func removeAll() {
        count = 0
    }

    /// Sends the queued datagrams with `sendmmsg`; returns how many went out (one the kernel
    /// refuses is skipped, and the rest still go).
    @discardableResult
    public func send(on socket: Int32) -> Int {
        guard count > 0 else { return 0 }
        return Int(relay_udp_send_batch(socket, slots, UInt32(count)))
    }

    /// Sends the queued datagrams as `send` does, a destination's datagrams of one size (the
    /// last may be shorter) in one segmented message (UDP_SEGMENT). `refused`: the kernel
    /// refused a segmented message for want of checksum offload on the way out (its datagrams
    /// then went one by one); segmenting is no use on this path. `sends`: the messages the
    /// kernel took.
    public func sendSegmented(on socket: Int32) -> (sent: Int, sends: Int, refused: Bool) {
        guard count > 0 else { return (0, 0, false) }
        if plan == nil { plan = relay_udp_send_plan_create(UInt32(capacity)) }
        guard let plan else {
            let sent = send(on: socket)
            return (sent, sent, true)
        }
        var refused: Int32 = 0
        var sends: UInt32 = 0
        let sent = Int(relay_udp_send_segmented(socket, slots, UInt32(count), plan, &refused, &sends))
        return (sent, Int(sends), refused != 0)
    }

    /// Fills the slots with one `recvmmsg` without blocking; returns how many slots were filled
    /// (0 when none, -1 on error), each with one datagram or, on a socket that takes segmented
    /// sends whole, several (`segmentLength(at:)`). Read them with `bytes(at:)` and `address(at:)`.
    @discardableResult
    public func receive(from socket: Int32) -> Int {
        let received = Int(relay_udp_receive_batch(socket, slots, UInt32(capacity)))
        count = max(received, 0)
        return received
    }
}
