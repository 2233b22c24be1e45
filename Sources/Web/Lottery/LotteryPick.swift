import Foundation

/// A validated choice of numbers: exactly `pickCount` distinct numbers in 1...highestNumber, sorted.
struct LotteryPick: Equatable, Sendable {
    let numbers: [Int]

    /// Reads the form's raw fields; each failure has its own message for the form.
    init(fields: [String], rules: LotteryRules) throws(LotteryPickError) {
        var numbers: [Int] = []
        for field in fields {
            let trimmed = field.trimmingCharacters(in: .whitespaces)
            guard let number = Int(trimmed) else {
                throw .notANumber(String(trimmed.prefix(20)))
            }
            guard (1...rules.highestNumber).contains(number) else {
                throw .outOfRange(number, highest: rules.highestNumber)
            }
            guard !numbers.contains(number) else {
                throw .duplicate(number)
            }
            numbers.append(number)
        }
        guard numbers.count == rules.pickCount else {
            throw .wrongCount(numbers.count, expected: rules.pickCount)
        }
        self.numbers = numbers.sorted()
    }
}
