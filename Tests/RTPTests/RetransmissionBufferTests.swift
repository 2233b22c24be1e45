import Testing
@testable import RTP

@Suite struct RetransmissionBufferTests {
    static let second: UInt64 = 1_000_000_000

    /// A packet whose bytes say which sequence number it was stored under, of varying length.
    static func packet(_ sequenceNumber: UInt16, length: Int = 20) -> [UInt8] {
        [UInt8(sequenceNumber >> 8), UInt8(sequenceNumber & 0xFF)]
            + [UInt8](repeating: UInt8(truncatingIfNeeded: sequenceNumber), count: max(0, length - 2))
    }

    @Test func refusesCapacitiesAndSlotSizesItCannotUse() {
        for capacity in [0, -4, 3, 100, 65_536] {
            #expect(throws: RetransmissionBufferError.invalidCapacity(capacity)) {
                try RetransmissionBuffer(capacity: capacity)
            }
        }
        for slotSize in [0, -1, 65_536] {
            #expect(throws: RetransmissionBufferError.invalidSlotSize(slotSize)) {
                try RetransmissionBuffer(slotSize: slotSize)
            }
        }
        #expect(throws: Never.self) { try RetransmissionBuffer(capacity: 1, slotSize: 65_535) }
        #expect(throws: Never.self) { try RetransmissionBuffer(capacity: 32_768, slotSize: 1) }
    }

    @Test func storesAndReturnsPacketsOfEachLength() throws {
        var buffer = try RetransmissionBuffer()
        #expect(buffer.capacity == 512)
        #expect(buffer.slotSize == 1_500)
        try buffer.store(sequenceNumber: 7, bytes: Self.packet(7, length: 1_500), now: 0)
        try buffer.store(sequenceNumber: 8, bytes: Self.packet(8, length: 12), now: 0)
        try buffer.store(sequenceNumber: 9, bytes: [], now: 0)
        #expect(buffer.packet(sequenceNumber: 7, now: 0) == Self.packet(7, length: 1_500))
        #expect(buffer.packet(sequenceNumber: 8, now: 0) == Self.packet(8, length: 12))
        #expect(buffer.packet(sequenceNumber: 9, now: 0) == [])
        #expect(buffer.packet(sequenceNumber: 10, now: 0) == nil)
        #expect(buffer.packet(sequenceNumber: 6, now: 0) == nil)
        let length = buffer.withPacket(sequenceNumber: 8, now: 0) { $0.count }
        #expect(length == 12)
        // Storing the same sequence number again replaces the bytes.
        try buffer.store(sequenceNumber: 8, bytes: Self.packet(8, length: 40), now: 0)
        #expect(buffer.packet(sequenceNumber: 8, now: 0) == Self.packet(8, length: 40))
    }

    @Test func keepsTheLastCapacityPacketsAcrossWrapAround() throws {
        var buffer = try RetransmissionBuffer(capacity: 8, slotSize: 64)
        var sequenceNumber: UInt16 = 65_530
        for _ in 0..<10 {
            try buffer.store(sequenceNumber: sequenceNumber, bytes: Self.packet(sequenceNumber), now: 0)
            sequenceNumber &+= 1
        }
        // Stored 65530...65535 and 0...3: the last eight are 65532...3.
        for kept: UInt16 in [65_532, 65_533, 65_534, 65_535, 0, 1, 2, 3] {
            #expect(buffer.packet(sequenceNumber: kept, now: 0) == Self.packet(kept), "\(kept)")
        }
        for evicted: UInt16 in [65_530, 65_531, 4, 5, 65_524] {
            #expect(buffer.packet(sequenceNumber: evicted, now: 0) == nil, "\(evicted)")
        }
    }

    @Test func refusesOversizePacketsAndKeepsTheSlot() throws {
        var buffer = try RetransmissionBuffer(capacity: 4, slotSize: 100)
        try buffer.store(sequenceNumber: 3, bytes: Self.packet(3), now: 0)
        #expect(throws: RetransmissionBufferError.packetTooLarge(size: 101, slotSize: 100)) {
            try buffer.store(sequenceNumber: 7, bytes: Self.packet(7, length: 101), now: 0)
        }
        // Nothing changed: the slot of 7 still holds 3.
        #expect(buffer.packet(sequenceNumber: 3, now: 0) == Self.packet(3))
        #expect(buffer.packet(sequenceNumber: 7, now: 0) == nil)
        try buffer.store(sequenceNumber: 7, bytes: Self.packet(7, length: 100), now: 0)
        #expect(buffer.packet(sequenceNumber: 7, now: 0) == Self.packet(7, length: 100))
    }

    @Test func refusesSequenceNumbersAWholeBufferBehind() throws {
        var buffer = try RetransmissionBuffer(capacity: 8, slotSize: 64)
        try buffer.store(sequenceNumber: 100, bytes: Self.packet(100), now: 0)
        #expect(throws: RetransmissionBufferError.sequenceNumberTooOld(92)) {
            try buffer.store(sequenceNumber: 92, bytes: Self.packet(92), now: 0)
        }
        // A late packet within the window is kept.
        try buffer.store(sequenceNumber: 93, bytes: Self.packet(93), now: 0)
        #expect(buffer.packet(sequenceNumber: 93, now: 0) == Self.packet(93))
        #expect(buffer.packet(sequenceNumber: 100, now: 0) == Self.packet(100))
    }

    @Test func jumpForwardEmptiesTheSkippedSlots() throws {
        var buffer = try RetransmissionBuffer(capacity: 8, slotSize: 64)
        for sequenceNumber: UInt16 in 0..<8 {
            try buffer.store(sequenceNumber: sequenceNumber, bytes: Self.packet(sequenceNumber), now: 0)
        }
        try buffer.store(sequenceNumber: 11, bytes: Self.packet(11), now: 0)
        // 8, 9 and 10 were never stored; their slots held 0, 1 and 2, now out of the window,
        // and 11 took the slot of 3.
        for gone: UInt16 in [0, 1, 2, 3, 8, 9, 10] {
            #expect(buffer.packet(sequenceNumber: gone, now: 0) == nil, "\(gone)")
        }
        for kept: UInt16 in [4, 5, 6, 7, 11] {
            #expect(buffer.packet(sequenceNumber: kept, now: 0) == Self.packet(kept), "\(kept)")
        }

        // Jumps of under half the sequence space come back around to just before 5: the packet
        // stored as 5 on the previous trip must not be taken for the next 5.
        try buffer.store(sequenceNumber: 5, bytes: Self.packet(5), now: 0)
        for sequenceNumber: UInt16 in [30_000, 60_000, 24_464, 54_464, 2] {
            try buffer.store(sequenceNumber: sequenceNumber, bytes: Self.packet(sequenceNumber), now: 0)
        }
        #expect(buffer.packet(sequenceNumber: 5, now: 0) == nil)
        #expect(buffer.packet(sequenceNumber: 2, now: 0) == Self.packet(2))
    }

    @Test func refusesPacketsOlderThanTheMaximumAge() throws {
        var buffer = try RetransmissionBuffer(capacity: 16, slotSize: 64, maximumAge: Self.second)
        try buffer.store(sequenceNumber: 1, bytes: Self.packet(1), now: 10 * Self.second)
        try buffer.store(sequenceNumber: 2, bytes: Self.packet(2), now: 10 * Self.second + 500_000_000)
        #expect(buffer.packet(sequenceNumber: 1, now: 11 * Self.second) == Self.packet(1))
        #expect(buffer.packet(sequenceNumber: 1, now: 11 * Self.second + 1) == nil)
        #expect(buffer.packet(sequenceNumber: 2, now: 11 * Self.second + 1) == Self.packet(2))
        // A clock reading before the storage time is no age at all.
        #expect(buffer.packet(sequenceNumber: 1, now: 0) == Self.packet(1))
    }

    @Test func matchesASimpleModelUnderRandomUse() throws {
        var generator = MutationGenerator(seed: 0x5254_5842)
        let capacity = 16
        var buffer = try RetransmissionBuffer(capacity: capacity, slotSize: 32)
        var model: [UInt16: [UInt8]] = [:]
        var newest: UInt16?
        for _ in 0..<20_000 {
            let base = newest ?? 0
            let sequenceNumber = base &+ UInt16(bitPattern: Int16.random(in: -24...40, using: &generator))
            if Bool.random(using: &generator) {
                let bytes = generator.bytes(maximumLength: 34)
                let behind = newest.map { Int(Int16(bitPattern: $0 &- sequenceNumber)) } ?? 0
                do throws(RetransmissionBufferError) {
                    try buffer.store(sequenceNumber: sequenceNumber, bytes: bytes, now: 0)
                    #expect(bytes.count <= 32 && behind < capacity)
                    model[sequenceNumber] = bytes
                    if behind < 0 || newest == nil {
                        newest = sequenceNumber
                        // Keep only the window of the last `capacity` numbers.
                        model = model.filter { Int(sequenceNumber &- $0.key) < capacity }
                    }
                } catch .packetTooLarge {
                    #expect(bytes.count > 32)
                } catch {
                    #expect(error == .sequenceNumberTooOld(sequenceNumber))
                    #expect(behind >= capacity)
                }
            } else {
                #expect(buffer.packet(sequenceNumber: sequenceNumber, now: 0) == model[sequenceNumber])
            }
        }
    }
}
