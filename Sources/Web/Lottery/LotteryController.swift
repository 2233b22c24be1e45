import Fluent
import Foundation
import Vapor

/// TP1's lottery: `GET /lottery` shows the form, `POST /lottery` checks the numbers, draws,
/// stores the ticket and shows the result; `/lottery/history` lists the player's tickets and
/// `/lottery/draws` every ticket with statistics, for admins.
struct LotteryController: RouteCollection {
    struct Form: Content {
        var numbers: [String]?
    }

    func boot(routes: any RoutesBuilder) throws {
        let players = routes.grouped("lottery").grouped(RoleRequirement.anyAccount)
        players.get(use: form)
        players.post(use: play)
        players.get("history", use: history)
        routes.grouped("lottery").grouped(RoleRequirement.admin).get("draws", use: draws)
    }

    func form(req: Request) async throws -> View {
        let rules = try req.services.configuration.lottery
        return try await req.view.render("lottery", formContext(req, rules: rules, selected: [], error: nil))
    }

    func play(req: Request) async throws -> Response {
        let rules = try req.services.configuration.lottery
        let fields = try req.content.decode(Form.self).numbers ?? []
        let pick: LotteryPick
        do {
            pick = try LotteryPick(fields: fields, rules: rules)
        } catch {
            let selected = Set(fields.compactMap { Int($0) })
            let context = formContext(req, rules: rules, selected: selected, error: error.message)
            return try await req.view.render("lottery", context).encodeResponse(status: .badRequest, for: req)
        }
        let user = try req.auth.require(User.self)
        let ticket = LotteryTicket(userID: try user.requireID(), picked: pick.numbers, drawn: LotteryDraw.draw(rules: rules))
        try await ticket.save(on: req.db)
        let context = LotteryResultContext(page: PageContext(request: req, title: "Your draw"), ticket: LotteryTicketRow(ticket))
        return try await req.view.render("lottery-result", context).encodeResponse(for: req)
    }

    func history(req: Request) async throws -> View {
        let user = try req.auth.require(User.self)
        let tickets = try await LotteryTicket.query(on: req.db)
            .filter(\.$user.$id == user.requireID())
            .sort(\.$createdAt, .descending)
            .all()
        let context = LotteryHistoryContext(
            page: PageContext(request: req, title: "My tickets"), tickets: tickets.map { LotteryTicketRow($0) })
        return try await req.view.render("lottery-history", context)
    }

    func draws(req: Request) async throws -> View {
        let rules = try req.services.configuration.lottery
        let tickets = try await LotteryTicket.query(on: req.db)
            .with(\.$user)
            .sort(\.$createdAt, .descending)
            .all()
        let statistics = LotteryStatistics(
            tickets: tickets.map { (userID: $0.$user.id.uuidString, drawn: $0.drawn, matchCount: $0.matchCount) },
            rules: rules)
        let context = LotteryDrawsContext(
            page: PageContext(request: req, title: "All draws"),
            ticketCount: statistics.ticketCount,
            playerCount: statistics.playerCount,
            averageMatches: String(format: "%.2f", statistics.averageMatches),
            matchCounts: statistics.matchCounts.enumerated().map { MatchCountRow(matches: $0.offset, tickets: $0.element) },
            frequencies: statistics.drawnFrequency.enumerated().dropFirst()
                .map { NumberFrequencyRow(number: $0.offset, times: $0.element) },
            tickets: tickets.prefix(200).map { LotteryTicketRow($0, username: $0.user.username) })
        return try await req.view.render("lottery-draws", context)
    }

    private func formContext(_ req: Request, rules: LotteryRules, selected: Set<Int>, error: String?) -> LotteryFormContext {
        LotteryFormContext(
            page: PageContext(request: req, title: "Lottery"),
            pickCount: rules.pickCount,
            highestNumber: rules.highestNumber,
            choices: (1...rules.highestNumber).map { LotteryChoice(number: $0, checked: selected.contains($0)) },
            error: error)
    }
}
