/// How many distinct numbers a ticket holds and the highest number; the draw uses the same rules.
public struct LotteryRules: Sendable, Equatable {
    public var pickCount: Int
    public var highestNumber: Int

    public init(pickCount: Int = 6, highestNumber: Int = 49) {
        precondition(pickCount >= 1 && pickCount <= highestNumber, "a lottery needs 1 ≤ pickCount ≤ highestNumber")
        self.pickCount = pickCount
        self.highestNumber = highestNumber
    }
}
