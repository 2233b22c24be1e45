import Foundation

/// One number of the form's grid.
struct LotteryChoice: Encodable {
    var number: Int
    var checked: Bool
}

struct LotteryFormContext: Encodable {
    var page: PageContext
    var pickCount: Int
    var highestNumber: Int
    var choices: [LotteryChoice]
    var error: String?
}

/// A ticket as the views show it.
struct LotteryTicketRow: Encodable {
    var id: String
    var username: String?
    var picked: [Int]
    var drawn: [Int]
    var matched: [Int]
    var matchCount: Int
    var createdAt: String

    init(_ ticket: LotteryTicket, username: String? = nil) {
        self.id = ticket.id?.uuidString ?? ""
        self.username = username
        self.picked = ticket.picked
        self.drawn = ticket.drawn
        self.matched = ticket.matched
        self.matchCount = ticket.matchCount
        self.createdAt = ticket.createdAt.map { ISO8601DateFormatter().string(from: $0) } ?? ""
    }
}

struct LotteryResultContext: Encodable {
    var page: PageContext
    var ticket: LotteryTicketRow
}

struct LotteryHistoryContext: Encodable {
    var page: PageContext
    var tickets: [LotteryTicketRow]
}

/// How many tickets matched k numbers, for each k.
struct MatchCountRow: Encodable {
    var matches: Int
    var tickets: Int
}

/// How often a number came out of the draws.
struct NumberFrequencyRow: Encodable {
    var number: Int
    var times: Int
}

struct LotteryDrawsContext: Encodable {
    var page: PageContext
    var ticketCount: Int
    var playerCount: Int
    var averageMatches: String
    var matchCounts: [MatchCountRow]
    var frequencies: [NumberFrequencyRow]
    var tickets: [LotteryTicketRow]
}
