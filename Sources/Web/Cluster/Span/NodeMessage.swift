import Foundation

/// One notice on the node channel (`NodeChannel`): from one node to another, media commands for
/// one of its workers, or events back.
struct NodeMessage: Codable, Equatable, Sendable {
    enum Body: Codable, Equatable, Sendable {
        case commands(worker: Int, [RemoteMediaCommand])
        case events([RemoteMediaEvent])
    }

    let from: String
    let to: String
    let body: Body

    /// PostgreSQL's NOTIFY payload holds less than 8,000 bytes.
    static let maximumPayload = 7_900

    /// The payloads that carry `body`: one, or as many as it takes to keep each under
    /// `maximumPayload`, a batch split in order. Nil when a single command or event is too large.
    static func payloads(from: String, to: String, _ body: Body) -> [String]? {
        let message = NodeMessage(from: from, to: to, body: body)
        guard let data = try? JSONEncoder().encode(message) else { return nil }
        if data.count <= maximumPayload { return [String(decoding: data, as: UTF8.self)] }
        switch body {
        case .commands(let worker, let commands) where commands.count > 1:
            let half = commands.count / 2
            guard let first = payloads(from: from, to: to, .commands(worker: worker, Array(commands[..<half]))),
                let second = payloads(from: from, to: to, .commands(worker: worker, Array(commands[half...])))
            else { return nil }
            return first + second
        case .events(let events) where events.count > 1:
            let half = events.count / 2
            guard let first = payloads(from: from, to: to, .events(Array(events[..<half]))),
                let second = payloads(from: from, to: to, .events(Array(events[half...])))
            else { return nil }
            return first + second
        default:
            return nil
        }
    }

    static func decode(_ payload: String) -> NodeMessage? {
        try? JSONDecoder().decode(NodeMessage.self, from: Data(payload.utf8))
    }
}
