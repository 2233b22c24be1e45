/// The numbers the server draws for a ticket: distinct, uniform, from a cryptographically secure
/// generator (`SystemRandomNumberGenerator` reads the kernel's getrandom on Linux).
enum LotteryDraw {
    static func draw<Generator: RandomNumberGenerator>(
        rules: LotteryRules, using generator: inout Generator
    ) -> [Int] {
        var pool = Array(1...rules.highestNumber)
        pool.shuffle(using: &generator)
        return pool.prefix(rules.pickCount).sorted()
    }

    static func draw(rules: LotteryRules) -> [Int] {
        var generator = SystemRandomNumberGenerator()
        return draw(rules: rules, using: &generator)
    }
}
