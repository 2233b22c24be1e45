/// The arrival times of the last `capacity` transport-wide sequence numbers, keyed by their
/// unwrapped value: a fixed ring allocated once, so memory does not grow with input. A slot
/// remembers which number it holds, so numbers that never arrived, or whose slot was taken by a
/// later number, read as not received without any clearing.
struct TransportFeedbackHistory: Sendable {
    /// A power of two, so a number's slot is its low bits.
    static let capacity = 8192

    private struct Slot: Sendable {
        var sequenceNumber: Int64 = .min
        var arrival: Int64 = 0
    }

    private var slots: [Slot] = []

    /// The arrival time of `sequenceNumber`, nil when it was not recorded or is no longer kept.
    func arrival(of sequenceNumber: Int64) -> Int64? {
        guard !slots.isEmpty else { return nil }
        let slot = slots[Self.index(sequenceNumber)]
        return slot.sequenceNumber == sequenceNumber ? slot.arrival : nil
    }

    /// Records `sequenceNumber`, replacing whatever number shared its slot.
    mutating func insert(_ sequenceNumber: Int64, arrival: Int64) {
        if slots.isEmpty { slots = Array(repeating: Slot(), count: Self.capacity) }
        slots[Self.index(sequenceNumber)] = Slot(sequenceNumber: sequenceNumber, arrival: arrival)
    }

    private static func index(_ sequenceNumber: Int64) -> Int {
        Int(truncatingIfNeeded: sequenceNumber) & (capacity - 1)
    }
}
