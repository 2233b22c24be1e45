import Testing
@testable import Web

@Suite struct LotteryRulesTests {
    /// A fixed-sequence generator (SplitMix64), so a draw can be checked exactly.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func drawsAreDistinctSortedAndInRange() {
        var generator = SeededGenerator(state: 42)
        for _ in 0..<1000 {
            let draw = LotteryDraw.draw(rules: LotteryRules(), using: &generator)
            #expect(draw.count == 6)
            #expect(Set(draw).count == 6)
            #expect(draw == draw.sorted())
            #expect(draw.allSatisfy { (1...49).contains($0) })
        }
    }

    @Test func everyNumberComesOutOverManyDraws() {
        var seen = Set<Int>()
        for _ in 0..<500 {
            seen.formUnion(LotteryDraw.draw(rules: LotteryRules()))
        }
        #expect(seen == Set(1...49))
    }

    @Test func aPickIsSortedAndItsErrorsAreSpecific() throws {
        let rules = LotteryRules()
        #expect(try LotteryPick(fields: ["9", " 3", "1", "49", "20", "5"], rules: rules).numbers == [1, 3, 5, 9, 20, 49])
        #expect(throws: LotteryPickError.duplicate(3)) { try LotteryPick(fields: ["3", "3", "1", "2", "4", "5"], rules: rules) }
        #expect(throws: LotteryPickError.outOfRange(50, highest: 49)) { try LotteryPick(fields: ["50"], rules: rules) }
        #expect(throws: LotteryPickError.notANumber("1e3")) { try LotteryPick(fields: ["1e3"], rules: rules) }
        #expect(throws: LotteryPickError.wrongCount(2, expected: 6)) { try LotteryPick(fields: ["1", "2"], rules: rules) }
    }

    @Test func statisticsCountMatchesPlayersAndNumbers() {
        let statistics = LotteryStatistics(
            tickets: [
                (userID: "a", drawn: [1, 2, 3], matchCount: 0),
                (userID: "a", drawn: [1, 4, 5], matchCount: 2),
                (userID: "b", drawn: [1, 2, 6], matchCount: 2),
            ],
            rules: LotteryRules(pickCount: 3, highestNumber: 6))
        #expect(statistics.ticketCount == 3)
        #expect(statistics.playerCount == 2)
        #expect(statistics.matchCounts == [1, 0, 2, 0])
        #expect(statistics.drawnFrequency == [0, 3, 2, 1, 1, 1, 1])
        #expect(abs(statistics.averageMatches - 4.0 / 3.0) < 1e-9)
    }
}
