/// Why a lottery form was refused.
enum LotteryPickError: Error, Equatable, Sendable {
    case notANumber(String)
    case outOfRange(Int, highest: Int)
    case duplicate(Int)
    case wrongCount(Int, expected: Int)

    var message: String {
        switch self {
        case .notANumber(let text): "“\(text)” is not a number."
        case .outOfRange(let number, let highest): "\(number) is outside 1 to \(highest)."
        case .duplicate(let number): "\(number) is chosen twice; the numbers must be distinct."
        case .wrongCount(let count, let expected): "Choose exactly \(expected) numbers (you chose \(count))."
        }
    }
}
