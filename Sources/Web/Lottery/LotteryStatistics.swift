/// Figures over a set of tickets for the admins' draws page.
struct LotteryStatistics: Equatable {
    let ticketCount: Int
    let playerCount: Int
    let averageMatches: Double
    /// Index k holds how many tickets matched exactly k numbers.
    let matchCounts: [Int]
    /// Index n holds how many draws contained number n (index 0 unused).
    let drawnFrequency: [Int]

    init(tickets: [(userID: String, drawn: [Int], matchCount: Int)], rules: LotteryRules) {
        var matchCounts = Array(repeating: 0, count: rules.pickCount + 1)
        var drawnFrequency = Array(repeating: 0, count: rules.highestNumber + 1)
        var players = Set<String>()
        var totalMatches = 0
        for ticket in tickets {
            players.insert(ticket.userID)
            totalMatches += ticket.matchCount
            if matchCounts.indices.contains(ticket.matchCount) {
                matchCounts[ticket.matchCount] += 1
            }
            for number in ticket.drawn where drawnFrequency.indices.contains(number) {
                drawnFrequency[number] += 1
            }
        }
        self.ticketCount = tickets.count
        self.playerCount = players.count
        self.averageMatches = tickets.isEmpty ? 0 : Double(totalMatches) / Double(tickets.count)
        self.matchCounts = matchCounts
        self.drawnFrequency = drawnFrequency
    }
}
