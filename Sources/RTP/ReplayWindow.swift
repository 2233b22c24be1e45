/// Which packet indices of one stream have been accepted, for replay protection (RFC 3711
/// §3.3.2): the highest index accepted and, for the `size` indices up to it, whether each was.
/// An index above the highest is new; one at or below it is new only if it is within the
/// window and was not accepted before.
struct ReplayWindow {
    /// Indices tracked below the highest: RFC 3711 asks for at least 64; video bursts reordered
    /// by the network need more.
    static let size: UInt64 = 1024

    /// The highest index accepted; nil before the first.
    private(set) var highest: UInt64?
    /// Bit `index % size` stands for `index`, for the `size` indices up to `highest`.
    private var accepted = InlineArray<16, UInt64>(repeating: 0)

    /// Whether a packet with `index` may be accepted: not seen, and not too old to tell.
    func admits(_ index: UInt64) -> Bool {
        guard let highest, index <= highest else { return true }
        guard highest - index < Self.size else { return false }
        return accepted[Self.word(index)] & Self.bit(index) == 0
    }

    /// Records `index` as accepted; call only when `admits(index)` and the packet authenticated.
    mutating func accept(_ index: UInt64) {
        if index > highest ?? 0 {
            advance(to: index)
        } else if highest == nil {
            highest = index
        }
        accepted[Self.word(index)] |= Self.bit(index)
    }

    /// Makes `index` the highest, forgetting what the indices skipped over shared their bits with.
    private mutating func advance(to index: UInt64) {
        if let highest, index - highest < Self.size {
            var skipped = highest &+ 1
            while skipped < index {
                accepted[Self.word(skipped)] &= ~Self.bit(skipped)
                skipped &+= 1
            }
        } else {
            for word in accepted.indices { accepted[word] = 0 }
        }
        highest = index
    }

    private static func word(_ index: UInt64) -> Int {
        Int(truncatingIfNeeded: (index % size) >> 6)
    }

    private static func bit(_ index: UInt64) -> UInt64 {
        1 << (index & 63)
    }
}
