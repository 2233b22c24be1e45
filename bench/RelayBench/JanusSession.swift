import Foundation

/// A session with Janus over its REST API (janus.plugin.videoroom): requests, and the events
/// that answer the asynchronous ones, read by long poll.
final class JanusSession {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let host: String
    let port: UInt16
    private(set) var id: UInt64 = 0
    private var events: [[String: Any]] = []

    init(host: String, port: UInt16) throws {
        self.host = host
        self.port = port
        let created = try post("/janus", ["janus": "create"])
        guard let data = created["data"] as? [String: Any], let id = Self.number(data["id"]) else {
            throw Failure(description: "Janus did not create a session: \(created)")
        }
        self.id = id
    }

    func attach() throws -> UInt64 {
        let attached = try post("/janus/\(id)", ["janus": "attach", "plugin": "janus.plugin.videoroom"])
        guard let data = attached["data"] as? [String: Any], let handle = Self.number(data["id"]) else {
            throw Failure(description: "Janus did not attach the VideoRoom plugin: \(attached)")
        }
        return handle
    }

    /// Sends a plugin request and returns the plugin's reply and the JSEP it carries, waiting
    /// for the event when Janus only acknowledges.
    func message(handle: UInt64, _ body: [String: Any], jsep: [String: Any]? = nil) throws -> (data: [String: Any], jsep: [String: Any]?) {
        let transaction = UUID().uuidString
        var request: [String: Any] = ["janus": "message", "body": body, "transaction": transaction]
        if let jsep { request["jsep"] = jsep }
        var reply = try post("/janus/\(id)/\(handle)", request, transaction: transaction)
        if reply["janus"] as? String == "ack" { reply = try event(transaction: transaction) }
        guard let plugin = reply["plugindata"] as? [String: Any], let data = plugin["data"] as? [String: Any] else {
            throw Failure(description: "unexpected Janus reply: \(reply)")
        }
        if let error = data["error"] { throw Failure(description: "VideoRoom refused \(body["request"] ?? ""): \(error)") }
        return (data, reply["jsep"] as? [String: Any])
    }

    func keepAlive() {
        _ = try? post("/janus/\(id)", ["janus": "keepalive"])
    }

    private func event(transaction: String) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let index = events.firstIndex(where: { $0["transaction"] as? String == transaction }) {
                return events.remove(at: index)
            }
            let polled = try HttpJson.request(method: "GET", host: host, port: port, path: "/janus/\(id)?maxev=10")
            if let list = polled as? [[String: Any]] {
                events += list
            } else if let single = polled as? [String: Any] {
                events.append(single)
            }
        }
        throw Failure(description: "no Janus event for transaction \(transaction)")
    }

    private func post(_ path: String, _ body: [String: Any], transaction: String = UUID().uuidString) throws -> [String: Any] {
        var body = body
        body["transaction"] = transaction
        guard let reply = try HttpJson.request(method: "POST", host: host, port: port, path: path, body: body) as? [String: Any] else {
            throw Failure(description: "Janus answered \(path) with something other than an object")
        }
        if reply["janus"] as? String == "error" { throw Failure(description: "Janus error on \(path): \(reply)") }
        return reply
    }

    static func number(_ value: Any?) -> UInt64? {
        if let number = value as? NSNumber { return number.uint64Value }
        return nil
    }
}
