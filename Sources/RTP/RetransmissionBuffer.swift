/// The last packets sent on an outgoing stream, kept to answer NACKs (RFC 4585 §6.2.1) with
/// retransmissions.
///
/// A fixed ring of slots keyed by outgoing sequence number: slot `sequenceNumber mod
/// capacity`. Every slot's bytes live in one contiguous storage of `capacity × slotSize`
/// bytes allocated at init, so storing copies into place and allocates nothing. The capacity
/// is a power of two that divides the 16-bit sequence space, so the ring stays aligned across
/// the wrap from 65535 to 0. Keep one buffer per stream and mutate it in place: a copy shares
/// the storage until one of them stores, and that store then copies the whole storage.
///
/// Invariant: an occupied slot holds one of the last `capacity` sequence numbers up to the
/// newest stored. Moving the newest forward empties the slots it skips, so a slot can never
/// hold a packet from an earlier trip around the sequence space, and a lookup only has to
/// compare the slot's sequence number.
public struct RetransmissionBuffer: Sendable {
    public static let maximumCapacity = 32_768
    /// The largest UDP payload; no RTP packet is bigger.
    public static let maximumSlotSize = 65_535

    struct Slot: Sendable {
        var isOccupied = false
        var sequenceNumber: UInt16 = 0
        var length = 0
        var storedAt: UInt64 = 0
    }

    /// The number of packets kept.
    public let capacity: Int
    /// The largest packet a slot holds, in bytes.
    public let slotSize: Int
    /// Packets stored longer ago than this many nanoseconds are not retransmitted: the receiver
    /// has given up on them (nil for no limit).
    public let maximumAge: UInt64?

    var storage: [UInt8]
    var slots: [Slot]
    var newestSequenceNumber: UInt16?

    public init(capacity: Int = 512, slotSize: Int = 1_500, maximumAge: UInt64? = nil)
        throws(RetransmissionBufferError)
    {
        guard capacity > 0, capacity <= Self.maximumCapacity, capacity & (capacity - 1) == 0 else {
            throw .invalidCapacity(capacity)
        }
        guard slotSize > 0, slotSize <= Self.maximumSlotSize else {
            throw .invalidSlotSize(slotSize)
        }
        self.capacity = capacity
        self.slotSize = slotSize
        self.maximumAge = maximumAge
        storage = [UInt8](repeating: 0, count: capacity * slotSize)
        slots = [Slot](repeating: Slot(), count: capacity)
    }

    func slotIndex(_ sequenceNumber: UInt16) -> Int {
        Int(sequenceNumber) & (capacity - 1)
    }

    /// Copies a sent packet into the slot of its sequence number, replacing what it held.
    ///
    /// A packet bigger than a slot is refused, and so is a sequence number a whole buffer or
    /// more behind the newest stored, whose slot belongs to a newer packet.
    public mutating func store(sequenceNumber: UInt16, bytes: UnsafeRawBufferPointer, now: UInt64)
        throws(RetransmissionBufferError)
    {
        guard bytes.count <= slotSize else {
            throw .packetTooLarge(size: bytes.count, slotSize: slotSize)
        }
        if let newest = newestSequenceNumber {
            let ahead = Int(Int16(bitPattern: sequenceNumber &- newest))
            if ahead > 0 {
                // Empty the slots of the sequence numbers skipped over; past a whole ring,
                // every slot is behind the new window.
                var skipped = newest &+ 1
                for _ in 0..<min(ahead - 1, capacity) {
                    slots[slotIndex(skipped)].isOccupied = false
                    skipped &+= 1
                }
                newestSequenceNumber = sequenceNumber
            } else if -ahead >= capacity {
                throw .sequenceNumberTooOld(sequenceNumber)
            }
        } else {
            newestSequenceNumber = sequenceNumber
        }

        let index = slotIndex(sequenceNumber)
        let start = index * slotSize
        storage.withUnsafeMutableBytes { destination in
            UnsafeMutableRawBufferPointer(rebasing: destination[start..<(start + bytes.count)])
                .copyMemory(from: bytes)
        }
        slots[index] = Slot(
            isOccupied: true, sequenceNumber: sequenceNumber, length: bytes.count, storedAt: now)
    }

    /// Copies a sent packet held in an array into the slot of its sequence number.
    public mutating func store(sequenceNumber: UInt16, bytes: [UInt8], now: UInt64)
        throws(RetransmissionBufferError)
    {
        let result: Result<Void, RetransmissionBufferError> = bytes.withUnsafeBytes { raw in
            do throws(RetransmissionBufferError) {
                return .success(try store(sequenceNumber: sequenceNumber, bytes: raw, now: now))
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Calls `body` with the stored bytes of the packet with `sequenceNumber` and returns its
    /// result, or returns nil when that packet is no longer held or is older than
    /// `maximumAge` at `now`. The bytes are valid only inside `body`.
    public func withPacket<Value>(
        sequenceNumber: UInt16, now: UInt64, _ body: (UnsafeRawBufferPointer) throws -> Value
    ) rethrows -> Value? {
        let index = slotIndex(sequenceNumber)
        let slot = slots[index]
        guard slot.isOccupied, slot.sequenceNumber == sequenceNumber else { return nil }
        if let maximumAge, now > slot.storedAt, now - slot.storedAt > maximumAge { return nil }
        let start = index * slotSize
        return try storage.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[start..<(start + slot.length)]))
        }
    }

    /// A copy of the stored packet with `sequenceNumber`, or nil when it is no longer held or is
    /// older than `maximumAge` at `now`.
    public func packet(sequenceNumber: UInt16, now: UInt64) -> [UInt8]? {
        withPacket(sequenceNumber: sequenceNumber, now: now) { Array($0) }
    }
}
