/// Where the chat of each room is kept, so a participant who joins late sees what was said.
/// The in-memory store serves until the web application's database takes over.
///
/// History is bound to the room it was said in, not just to its name: a message is replayed to
/// whoever joins the same generation of the room (they passed its password and lock), and
/// outlives the room only when it was public — said while the room had no password and was not
/// locked, so anyone could have joined to read it. When a generation ends, its messages that were
/// not public are deleted.
public protocol ChatHistory: Sendable {
    /// Keeps `message`, said in `generation`.
    func append(_ message: CallChatMessage, in generation: ChatRoomGeneration, isPublic: Bool) async
    /// The last `limit` messages said in `generation` and, when `includingPublic`, the public
    /// messages of the room's earlier generations, oldest first.
    func recent(in generation: ChatRoomGeneration, includingPublic: Bool, limit: Int) async -> [CallChatMessage]
    /// Deletes what `generation` said that was not public: the room has ended.
    func end(_ generation: ChatRoomGeneration) async
}
