/// Test helper: a seeded SplitMix64 generator, so random-input tests replay the same inputs on
/// every run, and the mutations those tests apply to known-good payloads.
struct MutationGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// Up to `maximumLength` random bytes.
    mutating func bytes(maximumLength: Int) -> [UInt8] {
        (0..<Int.random(in: 0...maximumLength, using: &self)).map { _ in
            UInt8.random(in: 0...255, using: &self)
        }
    }

    /// `seed` with a few bytes among the first `window` replaced, then cut at a random length.
    mutating func mutate(_ seed: [UInt8], window: Int = 16) -> [UInt8] {
        var bytes = seed
        guard !bytes.isEmpty else { return bytes }
        for _ in 0..<Int.random(in: 1...3, using: &self) {
            let index = Int.random(in: 0..<min(bytes.count, window), using: &self)
            bytes[index] = UInt8.random(in: 0...255, using: &self)
        }
        bytes.removeLast(Int.random(in: 0...bytes.count, using: &self))
        return bytes
    }
}
