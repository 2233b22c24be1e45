/// Where the chat of each room is kept, so a participant who joins late sees what was said.
/// The in-memory store serves until the web application's database takes over.
public protocol ChatHistory: Sendable {
    func append(_ message: CallChatMessage, room: String) async
    /// The last `limit` messages of `room`, oldest first.
    func recent(room: String, limit: Int) async -> [CallChatMessage]
}
