/// A subscriber's video waiting for its pacing budget, first in first out, bytes copied in.
/// Held here a packet has no outgoing sequence number yet, so the subscriber sees no gap for
/// one that waits, and a layer switch is decided when it leaves. Storage grows by doubling up
/// to `capacity` packets and is kept: a burst allocates at most once per doubling, never per
/// packet.
final class PacedQueue {
    /// A slot holds the largest datagram the relay accepts.
    static let slotSize = MediaRouter.maximumDatagramLength
    /// 500 packets is over half a megabyte: several keyframes of a large picture.
    static let capacity = 512

    private var packets: [PacedPacket?] = []
    private var lengths: [Int] = []
    private var storage: [UInt8] = []
    private var head = 0
    private(set) var count = 0
    /// Bytes of all the packets held.
    private(set) var bytes = 0

    var isEmpty: Bool { count == 0 }

    /// When the router got the packet at the front.
    var oldestReceived: UInt64? { count == 0 ? nil : packets[head]?.received }

    /// Adds a packet at the back; false when the queue is full or the packet too large.
    func push(_ packet: PacedPacket, bytes source: UnsafeRawBufferPointer) -> Bool {
        guard source.count <= Self.slotSize else { return false }
        if count == packets.count {
            guard packets.count < Self.capacity else { return false }
            grow()
        }
        let place = (head + count) % packets.count
        packets[place] = packet
        lengths[place] = source.count
        storage.withUnsafeMutableBytes { storage in
            UnsafeMutableRawBufferPointer(rebasing: storage[(place * Self.slotSize)...]).copyMemory(from: source)
        }
        count += 1
        bytes += source.count
        return true
    }

    /// Hands the front packet and its bytes to `body`, then removes it.
    func popFirst(_ body: (PacedPacket, UnsafeRawBufferPointer) -> Void) {
        guard count > 0, let packet = packets[head] else { return }
        let length = lengths[head]
        storage.withUnsafeBytes { storage in
            body(packet, UnsafeRawBufferPointer(rebasing: storage[(head * Self.slotSize)..<(head * Self.slotSize + length)]))
        }
        packets[head] = nil
        head = (head + 1) % packets.count
        count -= 1
        bytes -= length
    }

    func removeAll() {
        while count > 0 { popFirst { _, _ in } }
    }

    private func grow() {
        let size = max(32, packets.count * 2)
        var larger = [PacedPacket?](repeating: nil, count: size)
        var largerLengths = [Int](repeating: 0, count: size)
        var largerStorage = [UInt8](repeating: 0, count: size * Self.slotSize)
        for index in 0..<count {
            let place = (head + index) % max(packets.count, 1)
            larger[index] = packets[place]
            largerLengths[index] = lengths[place]
            let from = place * Self.slotSize
            largerStorage[(index * Self.slotSize)..<(index * Self.slotSize + lengths[place])] =
                storage[from..<(from + lengths[place])]
        }
        packets = larger
        lengths = largerLengths
        storage = largerStorage
        head = 0
    }
}
