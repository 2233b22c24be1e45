import Fluent
import Testing
import VaporTesting
@testable import Web

@Suite struct LotteryControllerTests {
    private func numbers(_ values: [String]) -> [(String, String)] {
        values.map { ("numbers[]", $0) }
    }

    @Test func theFormNeedsALogin() async throws {
        try await WebTestApp.run { t in
            let response = try await t.app.testing().sendRequest(.GET, "/lottery")
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/login?next=%2Flottery")
        }
    }

    @Test func theFormOffersEveryNumberOnce() async throws {
        try await WebTestApp.run { t in
            let (browser, _) = try await t.loggedIn("ann")
            let page = try await browser.get("/lottery").body.string
            for number in [1, 25, 49] {
                #expect(page.contains(#"name="numbers[]" value="\#(number)""#))
            }
            #expect(!page.contains(#"value="50""#))
            #expect(page.components(separatedBy: #"type="checkbox""#).count - 1 == 49)
        }
    }

    @Test func aValidTicketIsDrawnStoredAndShown() async throws {
        try await WebTestApp.run { t in
            let (browser, user) = try await t.loggedIn("ben")
            let response = try await browser.postForm("/lottery", numbers(["7", "1", "49", "23", "12", "33"]))
            #expect(response.status == .ok)
            let ticket = try #require(try await LotteryTicket.query(on: t.app.db).first())
            #expect(ticket.$user.id == user.id)
            #expect(ticket.picked == [1, 7, 12, 23, 33, 49])
            #expect(ticket.drawn.count == 6)
            #expect(Set(ticket.drawn).count == 6)
            #expect(ticket.drawn.allSatisfy { (1...49).contains($0) })
            #expect(ticket.matched == ticket.picked.filter(ticket.drawn.contains))
            #expect(ticket.matchCount == ticket.matched.count)
            let html = response.body.string
            #expect(html.contains(#"data-ticket-id="\#(try ticket.requireID().uuidString)""#))
            #expect(html.contains(#"<strong id="match-count">\#(ticket.matchCount)</strong>"#))
        }
    }

    @Test(arguments: [
        (["1", "2", "3", "4", "5", "5"], "chosen twice"),
        (["0", "2", "3", "4", "5", "6"], "outside 1 to 49"),
        (["1", "2", "3", "4", "5", "50"], "outside 1 to 49"),
        (["1", "2", "3", "4", "5", "x1"], "is not a number"),
        (["1", "2", "3", "4", "5"], "Choose exactly 6 numbers"),
        (["1", "2", "3", "4", "5", "6", "7"], "Choose exactly 6 numbers"),
        ([], "Choose exactly 6 numbers"),
    ])
    func badNumbersAre400WithAMessageAndNothingStored(fields: [String], message: String) async throws {
        try await WebTestApp.run { t in
            let (browser, _) = try await t.loggedIn("cleo")
            let response = try await browser.postForm("/lottery", numbers(fields))
            #expect(response.status == .badRequest)
            #expect(response.body.string.contains(#"id="lottery-error""#))
            #expect(response.body.string.contains(message))
            #expect(try await LotteryTicket.query(on: t.app.db).count() == 0)
        }
    }

    @Test func aPostWithoutTheCSRFTokenIs403AndStoresNothing() async throws {
        try await WebTestApp.run { t in
            let (browser, _) = try await t.loggedIn("dan")
            let response = try await browser.postForm("/lottery", numbers(["1", "2", "3", "4", "5", "6"]), withCSRF: false)
            #expect(response.status == .forbidden)
            #expect(try await LotteryTicket.query(on: t.app.db).count() == 0)
        }
    }

    @Test func theRulesAreConfigurable() async throws {
        try await WebTestApp.run(lottery: LotteryRules(pickCount: 3, highestNumber: 10)) { t in
            let (browser, _) = try await t.loggedIn("eve")
            let page = try await browser.get("/lottery").body.string
            #expect(page.components(separatedBy: #"type="checkbox""#).count - 1 == 10)
            #expect(try await browser.postForm("/lottery", numbers(["2", "4", "10"])).status == .ok)
            #expect(try await browser.postForm("/lottery", numbers(["2", "4", "11"])).status == .badRequest)
            let ticket = try #require(try await LotteryTicket.query(on: t.app.db).first())
            #expect(ticket.drawn.count == 3 && ticket.drawn.allSatisfy { (1...10).contains($0) })
        }
    }

    @Test func historyShowsOnlyTheUsersOwnTickets() async throws {
        try await WebTestApp.run { t in
            let (mine, _) = try await t.loggedIn("fay")
            let (theirs, _) = try await t.loggedIn("gus")
            try await mine.postForm("/lottery", numbers(["1", "2", "3", "4", "5", "6"]))
            try await mine.postForm("/lottery", numbers(["11", "12", "13", "14", "15", "16"]))
            try await theirs.postForm("/lottery", numbers(["41", "42", "43", "44", "45", "46"]))
            let page = try await mine.get("/lottery/history").body.string
            #expect(page.components(separatedBy: "data-ticket-id=").count - 1 == 2)
            #expect(!page.contains("41 42 43"))
        }
    }

    @Test func allDrawsAreForAdminsOnly() async throws {
        try await WebTestApp.run { t in
            let (user, _) = try await t.loggedIn("hal")
            try await user.postForm("/lottery", numbers(["1", "2", "3", "4", "5", "6"]))
            let refused = try await user.get("/lottery/draws")
            #expect(refused.status == .forbidden)
            #expect(refused.body.string.contains("admin role only"))
            let (admin, _) = try await t.loggedIn("root", role: .admin)
            let page = try await admin.get("/lottery/draws")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("<strong>1</strong> tickets by <strong>1</strong> players"))
            #expect(page.body.string.contains("<td>hal</td>"))
        }
    }
}
