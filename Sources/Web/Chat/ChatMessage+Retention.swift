import Fluent

extension ChatMessage {
    /// Most messages one call deletes: one message past the limit is the usual case; a room
    /// over it by more (the limit was lowered) shrinks by this many with each new message.
    static let pruneBatch = 500

    /// Deletes the messages of `room` older than its `count` latest, so a room's history in the
    /// database stays bounded however long people talk in it. They are picked by id, not by a
    /// date comparison, which SQLite makes on the stored text.
    static func keepLatest(_ count: Int, in room: String, on database: any Database) async throws {
        let surplus = try await ChatMessage.query(on: database)
            .filter(\.$room == room)
            .sort(\.$createdAt, .descending)
            .offset(max(0, count))
            .limit(pruneBatch)
            .all()
            .compactMap(\.id)
        guard !surplus.isEmpty else {
            return
        }
        try await ChatMessage.query(on: database).filter(\.$id ~~ surplus).delete()
    }
}
