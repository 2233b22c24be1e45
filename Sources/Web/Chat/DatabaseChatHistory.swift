import Fluent
import Vapor

/// The call rooms' chat kept in the web application's database (SQLite or PostgreSQL), so a
/// room's conversation outlives the process.
struct DatabaseChatHistory: ChatHistory {
    let database: any Database
    let logger: Logger

    func append(_ message: CallChatMessage, room: String) async {
        do {
            try await CallChatRecord(room: room, message: message).save(on: database)
        } catch {
            // The message already reached the room; only its replay to later joiners is lost.
            logger.error("call chat: could not store a message of room \(room): \(error)")
        }
    }

    func recent(room: String, limit: Int) async -> [CallChatMessage] {
        do {
            let records = try await CallChatRecord.query(on: database)
                .filter(\.$room == room)
                .sort(\.$ts, .descending)
                .limit(max(0, limit))
                .all()
            return records.reversed().map(\.message)
        } catch {
            logger.error("call chat: could not read the history of room \(room): \(error)")
            return []
        }
    }
}
