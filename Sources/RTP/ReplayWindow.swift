/// Which packet indices of one stream have been accepted, for replay protection (RFC 3711
/// §3.3.2): the highest index accepted and, for the `size` indices up to it, whether each was.
/// An index above the highest is new; one at or below it is new only if it is within the
/// window and was not accepted before.
struct ReplayWindow {
    /// Indices tracked below the highest: RFC 3711 asks for at least 64; video bursts reordered
    /// by the network need more.
    static let size: UInt64 = 1024

    private(set) var highest: UInt64
    /// Bit `index % size` stands for `index`, for the `size` indices up to `highest`.
    private var accepted = InlineArray<16, UInt64>(repeating: 0)

    /// A window whose first accepted index is `first`.
    init(first: UInt64) {
        highest = first
        mark(first)
    }

    /// Whether a packet with `index` may be accepted: not seen, and not too old to tell.
    func admits(_ index: UInt64) -> Bool {
        guard index <= highest else { return true }
        guard highest - index < Self.size else { return false }
        return accepted[Self.word(index)] & Self.bit(index) == 0
    }

    /// Records `index` as accepted; call only when `admits(index)` and the packet authenticated.
    mutating func accept(_ index: UInt64) {
        if index > highest {
            let advance = index - highest
            if advance >= Self.size {
                for word in accepted.indices { accepted[word] = 0 }
            } else {
                // Indices skipped over leave the bits they share with indices `size` older.
                var skipped = highest &+ 1
                while skipped < index {
                    accepted[Self.word(skipped)] &= ~Self.bit(skipped)
                    skipped &+= 1
                }
            }
            highest = index
        }
        mark(index)
    }

    private mutating func mark(_ index: UInt64) {
        accepted[Self.word(index)] |= Self.bit(index)
    }

    private static func word(_ index: UInt64) -> Int {
        Int(truncatingIfNeeded: (index % size) >> 6)
    }

    private static func bit(_ index: UInt64) -> UInt64 {
        1 << (index & 63)
    }
}
