/// One chat message of a room, as kept in its history and sent in `chat` and `joined.history`.
public struct CallChatMessage: Equatable, Sendable, Codable {
    /// Chosen by the sender (or by the server when it gave none), so a client that receives a
    /// message both over a data channel and through the server shows it once.
    public var id: String
    public var from: String
    public var name: String
    public var text: String
    /// Milliseconds since 1970.
    public var ts: Int64

    public init(id: String, from: String, name: String, text: String, ts: Int64) {
        self.id = id
        self.from = from
        self.name = name
        self.text = text
        self.ts = ts
    }
}
