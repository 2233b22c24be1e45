/// A 16-bit packet chunk of a transport-wide feedback: the statuses of a run of consecutive
/// packets (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.3, §3.1.4).
///
///     run length:             0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
///                            +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///                            |0| S |       run length        |  S repeated run length times
///                            +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     status vector:         |1|S|       symbol list         |  S=0: 14 one-bit symbols,
///                            +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  S=1: 7 two-bit symbols
public enum TransportFeedbackChunk: Equatable, Sendable {
    /// The two-bit status symbol; a one-bit vector uses only the first two.
    public enum Symbol: UInt8, Equatable, Sendable {
        case notReceived = 0
        case receivedSmallDelta = 1
        case receivedLargeDelta = 2
        /// Value 3 is reserved; a parser must reject a packet that uses it.
        case reserved = 3

        /// Bytes of receive delta a status with this symbol takes.
        var deltaSize: Int {
            switch self {
            case .receivedSmallDelta: 1
            case .receivedLargeDelta: 2
            case .notReceived, .reserved: 0
            }
        }

        init(twoBits: UInt16) {
            switch twoBits & 0x3 {
            case 0: self = .notReceived
            case 1: self = .receivedSmallDelta
            case 2: self = .receivedLargeDelta
            default: self = .reserved
            }
        }
    }

    public static let maxRunLength = 0x1FFF
    public static let oneBitCapacity = 14
    public static let twoBitCapacity = 7

    /// `count` packets (0...8191) with the same status.
    case runLength(Symbol, count: Int)
    /// Up to 14 statuses, each not received or received with a small delta; fewer than 14 are
    /// padded with not-received symbols on the wire.
    case oneBitVector([Symbol])
    /// Up to 7 statuses of any kind, padded with not-received symbols on the wire.
    case twoBitVector([Symbol])

    /// Decodes a chunk as sent; a vector always yields its full 14 or 7 symbols.
    public init(raw: UInt16) {
        if raw & 0x8000 == 0 {
            self = .runLength(Symbol(twoBits: raw >> 13), count: Int(raw & 0x1FFF))
        } else if raw & 0x4000 == 0 {
            self = .oneBitVector((0..<Self.oneBitCapacity).map { index in
                raw >> (Self.oneBitCapacity - 1 - index) & 1 == 1 ? .receivedSmallDelta : .notReceived
            })
        } else {
            self = .twoBitVector((0..<Self.twoBitCapacity).map { index in
                Symbol(twoBits: raw >> (2 * (Self.twoBitCapacity - 1 - index)))
            })
        }
    }

    /// The chunk as sent. A one-bit vector writes any received symbol as 1.
    public var raw: UInt16 {
        switch self {
        case .runLength(let symbol, let count):
            return UInt16(symbol.rawValue) << 13 | UInt16(truncatingIfNeeded: count) & 0x1FFF
        case .oneBitVector(let symbols):
            var raw: UInt16 = 0x8000
            for (index, symbol) in symbols.prefix(Self.oneBitCapacity).enumerated()
            where symbol != .notReceived {
                raw |= 1 << (Self.oneBitCapacity - 1 - index)
            }
            return raw
        case .twoBitVector(let symbols):
            var raw: UInt16 = 0xC000
            for (index, symbol) in symbols.prefix(Self.twoBitCapacity).enumerated() {
                raw |= UInt16(symbol.rawValue) << (2 * (Self.twoBitCapacity - 1 - index))
            }
            return raw
        }
    }

    /// How many statuses the chunk `raw` describes, read without decoding it.
    static func symbolCount(raw: UInt16) -> Int {
        if raw & 0x8000 == 0 { return Int(raw & 0x1FFF) }
        return raw & 0x4000 == 0 ? oneBitCapacity : twoBitCapacity
    }

    /// The symbol at `index` (< `symbolCount(raw:)`) of the chunk `raw`, read without decoding it.
    static func symbol(raw: UInt16, at index: Int) -> Symbol {
        if raw & 0x8000 == 0 { return Symbol(twoBits: raw >> 13) }
        if raw & 0x4000 == 0 {
            return raw >> (oneBitCapacity - 1 - index) & 1 == 1 ? .receivedSmallDelta : .notReceived
        }
        return Symbol(twoBits: raw >> (2 * (twoBitCapacity - 1 - index)))
    }

    /// How many statuses the chunk describes.
    public var symbolCount: Int {
        switch self {
        case .runLength(_, let count): count
        case .oneBitVector(let symbols), .twoBitVector(let symbols): symbols.count
        }
    }

    /// The status symbol at `index` (< `symbolCount`).
    public func symbol(at index: Int) -> Symbol {
        switch self {
        case .runLength(let symbol, _): symbol
        case .oneBitVector(let symbols), .twoBitVector(let symbols): symbols[index]
        }
    }

    /// Chooses chunks for `symbols`, filling one open chunk greedily: any symbol joins it while
    /// it holds fewer than 7; up to 14 join while none is a large delta; past that only a run of
    /// one symbol grows, up to 8191. When a symbol does not fit, the open chunk is closed as a
    /// run if its symbols are all the same, as a one-bit vector if it holds 14, else its first 7
    /// go out as a two-bit vector and the rest stay open. This is the layout libwebrtc (Chrome)
    /// produces, so Chrome's feedback rebuilds byte for byte.
    public static func encode(_ symbols: [Symbol]) -> [TransportFeedbackChunk] {
        var chunks: [TransportFeedbackChunk] = []
        var open = OpenChunk()
        for symbol in symbols {
            if !open.accepts(symbol) { chunks.append(open.close()) }
            open.append(symbol)
        }
        if !open.symbols.isEmpty { chunks.append(open.closeLast()) }
        return chunks
    }

    /// The chunk `encode` is filling.
    private struct OpenChunk {
        var symbols: [Symbol] = []
        var allSame = true
        var hasLargeDelta = false

        func accepts(_ symbol: Symbol) -> Bool {
            let count = symbols.count
            if count < twoBitCapacity { return true }
            if count < oneBitCapacity, !hasLargeDelta, symbol != .receivedLargeDelta { return true }
            return count < maxRunLength && allSame && symbol == symbols[0]
        }

        mutating func append(_ symbol: Symbol) {
            allSame = allSame && (symbols.isEmpty || symbol == symbols[0])
            hasLargeDelta = hasLargeDelta || symbol == .receivedLargeDelta
            symbols.append(symbol)
        }

        /// Closes a chunk that cannot take the next symbol.
        mutating func close() -> TransportFeedbackChunk {
            if allSame {
                defer { self = OpenChunk() }
                return .runLength(symbols[0], count: symbols.count)
            }
            if symbols.count == oneBitCapacity {
                defer { self = OpenChunk() }
                return .oneBitVector(symbols)
            }
            let chunk = TransportFeedbackChunk.twoBitVector(Array(symbols.prefix(twoBitCapacity)))
            let rest = symbols.dropFirst(twoBitCapacity)
            self = OpenChunk()
            for symbol in rest { append(symbol) }
            return chunk
        }

        /// Closes the final chunk, which may describe fewer symbols than its kind holds.
        func closeLast() -> TransportFeedbackChunk {
            if allSame { return .runLength(symbols[0], count: symbols.count) }
            if symbols.count <= twoBitCapacity { return .twoBitVector(symbols) }
            return .oneBitVector(symbols)
        }
    }
}
