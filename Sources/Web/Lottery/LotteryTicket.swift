import Fluent
import Vapor

/// One play: the numbers the user chose, the numbers the server drew for it, and those in both.
/// Numbers are stored as comma-separated text so SQLite and PostgreSQL hold the same thing.
final class LotteryTicket: Model, @unchecked Sendable {
    static let schema = "lottery_tickets"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "picked") var pickedText: String
    @Field(key: "drawn") var drawnText: String
    @Field(key: "matched") var matchedText: String
    @Field(key: "match_count") var matchCount: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(userID: UUID, picked: [Int], drawn: [Int]) {
        self.$user.id = userID
        let matched = picked.filter(drawn.contains)
        self.pickedText = Self.text(picked)
        self.drawnText = Self.text(drawn)
        self.matchedText = Self.text(matched)
        self.matchCount = matched.count
    }

    var picked: [Int] { Self.numbers(pickedText) }
    var drawn: [Int] { Self.numbers(drawnText) }
    var matched: [Int] { Self.numbers(matchedText) }

    private static func text(_ numbers: [Int]) -> String {
        numbers.map(String.init).joined(separator: ",")
    }

    private static func numbers(_ text: String) -> [Int] {
        text.split(separator: ",").compactMap { Int($0) }
    }
}
