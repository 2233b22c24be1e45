/// How many datagrams of each length a subscriber received: the floor of a scenario is measured
/// at the mix its packets actually had (an audio-only room's are a tenth of a video call's).
struct PacketSizeMix {
    static let largest = 2048
    /// Datagrams by length in bytes; longer ones count as `largest`.
    private(set) var counts = [UInt64](repeating: 0, count: largest + 1)

    mutating func record(_ length: Int) {
        counts[min(max(length, 0), Self.largest)] &+= 1
    }

    mutating func add(_ other: PacketSizeMix) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
    }

    var total: UInt64 { counts.reduce(0, +) }

    var meanLength: Double {
        let total = total
        guard total > 0 else { return 0 }
        return Double(counts.indices.reduce(UInt64(0)) { $0 + UInt64($1) * counts[$1] }) / Double(total)
    }

    /// `count` lengths spread over the mix as its quantiles, shuffled, so a measurement that
    /// cycles through them sees the mix and no pattern a branch predictor could learn; empty if
    /// nothing was recorded.
    func sample(_ count: Int) -> [Int] {
        let total = total
        guard total > 0, count > 0 else { return [] }
        var lengths: [Int] = []
        lengths.reserveCapacity(count)
        var length = 0
        var cumulative = counts[0]
        for index in 0..<count {
            // The length below which this quantile of the datagrams falls.
            let rank = (UInt64(index) * 2 + 1) * total / (UInt64(count) * 2)
            while cumulative <= rank, length < Self.largest {
                length += 1
                cumulative += counts[length]
            }
            lengths.append(length)
        }
        lengths.shuffle()
        return lengths
    }
}
