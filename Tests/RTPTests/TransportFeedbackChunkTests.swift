import Testing
@testable import RTP

@Suite struct TransportFeedbackChunkTests {
    typealias Chunk = TransportFeedbackChunk
    typealias Symbol = TransportFeedbackChunk.Symbol
    static let n = Symbol.notReceived
    static let s = Symbol.receivedSmallDelta
    static let l = Symbol.receivedLargeDelta

    @Test func decodesRunLengthChunks() {
        #expect(Chunk(raw: 0x200F) == .runLength(.receivedSmallDelta, count: 15))
        #expect(Chunk(raw: 0x1FFF) == .runLength(.notReceived, count: 8191))
        #expect(Chunk(raw: 0x4001) == .runLength(.receivedLargeDelta, count: 1))
        #expect(Chunk(raw: 0x6005) == .runLength(.reserved, count: 5))
        #expect(Chunk(raw: 0x0000).symbolCount == 0)
    }

    @Test func decodesOneBitVectors() {
        // T=1 S=0, then 1 00000000000 11: the first and the last two of fourteen received.
        let chunk = Chunk(raw: 0b10_10_0000_0000_0011)
        #expect(chunk == .oneBitVector([Self.s] + Array(repeating: Self.n, count: 11) + [Self.s, Self.s]))
        #expect(chunk.symbolCount == 14)
        #expect(chunk.raw == 0b10_10_0000_0000_0011)
    }

    @Test func decodesTwoBitVectors() {
        // 11 | 00 10 01 10 01 00 11
        let chunk = Chunk(raw: 0b11_00_10_01_10_01_00_11)
        #expect(chunk == .twoBitVector([Self.n, Self.l, Self.s, Self.l, Self.s, Self.n, .reserved]))
        #expect(chunk.symbolCount == 7)
        #expect(chunk.symbol(at: 1) == Self.l)
        #expect(chunk.raw == 0b11_00_10_01_10_01_00_11)
    }

    @Test func shortVectorsArePaddedWithNotReceived() {
        #expect(Chunk.oneBitVector([Self.s, Self.s]).raw == 0xB000)
        #expect(Chunk.twoBitVector([Self.l]).raw == 0xE000)
    }

    @Test func everyRawChunkRoundTrips() {
        let changed = (UInt16.min...UInt16.max).filter { Chunk(raw: $0).raw != $0 }
        #expect(changed.isEmpty)
    }

    @Test func longRunsBecomeRunLengthChunks() {
        #expect(Chunk.encode(Array(repeating: Self.s, count: 20)) == [.runLength(Self.s, count: 20)])
        #expect(Chunk.encode(Array(repeating: Self.l, count: 3)) == [.runLength(Self.l, count: 3)])
        #expect(Chunk.encode(Array(repeating: Self.n, count: 8192)) == [
            .runLength(Self.n, count: 8191), .runLength(Self.n, count: 1),
        ])
        #expect(Chunk.encode([]) == [])
    }

    @Test func mixedSmallAndLostFillOneBitVectors() {
        let symbols = Array(repeating: [Self.s, Self.n], count: 10).flatMap { $0 }
        #expect(Chunk.encode(symbols) == [
            .oneBitVector(Array(symbols.prefix(14))), .twoBitVector(Array(symbols.suffix(6))),
        ])
        // Eight to thirteen symbols at the end stay one-bit.
        #expect(Chunk.encode(Array(symbols.prefix(9))) == [.oneBitVector(Array(symbols.prefix(9)))])
    }

    @Test func aLargeDeltaLimitsTheVectorToSeven() {
        let symbols = [Self.l] + Array(repeating: Self.s, count: 7)
        #expect(Chunk.encode(symbols) == [
            .twoBitVector([Self.l] + Array(repeating: Self.s, count: 6)), .runLength(Self.s, count: 1),
        ])
        // A large delta after ten mixed symbols: the first seven go out, the other three stay.
        let mixed = Array(repeating: [Self.s, Self.n], count: 5).flatMap { $0 } + [Self.l]
        #expect(Chunk.encode(mixed) == [
            .twoBitVector(Array(mixed.prefix(7))), .twoBitVector(Array(mixed.suffix(4))),
        ])
    }

    @Test func aRunOfSevenThenAnotherSymbolStaysAVector() {
        let symbols = Array(repeating: Self.s, count: 7) + [Self.n]
        #expect(Chunk.encode(symbols) == [.oneBitVector(symbols)])
        let thenRun = Array(repeating: Self.s, count: 7) + Array(repeating: Self.n, count: 30)
        #expect(Chunk.encode(thenRun) == [
            .oneBitVector(Array(thenRun.prefix(14))), .runLength(Self.n, count: 23),
        ])
    }

    @Test func encodingThenDecodingGivesTheSymbolsBack() {
        var generator = MutationGenerator(seed: 7)
        for _ in 0..<500 {
            let count = Int.random(in: 1...200, using: &generator)
            // Runs of random length, so both runs and vectors appear.
            var symbols: [Symbol] = []
            while symbols.count < count {
                let symbol = [Self.n, Self.s, Self.l][Int.random(in: 0...2, using: &generator)]
                symbols += Array(repeating: symbol, count: Int.random(in: 1...20, using: &generator))
            }
            symbols = Array(symbols.prefix(count))
            var decoded: [Symbol] = []
            for chunk in Chunk.encode(symbols) {
                let wire = Chunk(raw: chunk.raw)
                for index in 0..<min(wire.symbolCount, count - decoded.count) {
                    decoded.append(wire.symbol(at: index))
                }
            }
            #expect(decoded == symbols)
        }
    }
}
