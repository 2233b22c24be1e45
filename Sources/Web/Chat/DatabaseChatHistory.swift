import Fluent
import Vapor

/// The call rooms' chat kept in the web application's database (SQLite or PostgreSQL), so the
/// public part of a room's conversation outlives the process.
struct DatabaseChatHistory: ChatHistory {
    let database: any Database
    let logger: Logger

    func append(_ message: CallChatMessage, in generation: ChatRoomGeneration, isPublic: Bool) async {
        do {
            try await CallChatRecord(generation: generation, isPublic: isPublic, message: message).save(on: database)
        } catch {
            // The message already reached the room; only its replay to later joiners is lost.
            logger.error("call chat: could not store a message of room \(generation.room): \(error)")
        }
    }

    func recent(in generation: ChatRoomGeneration, includingPublic: Bool, limit: Int) async -> [CallChatMessage] {
        do {
            let records = try await CallChatRecord.query(on: database)
                .filter(\.$room == generation.room)
                .group(.or) { visible in
                    visible.filter(\.$generation == generation.id)
                    if includingPublic { visible.filter(\.$isPublic == true) }
                }
                .sort(\.$ts, .descending)
                .limit(max(0, limit))
                .all()
            return records.reversed().map(\.message)
        } catch {
            logger.error("call chat: could not read the history of room \(generation.room): \(error)")
            return []
        }
    }

    func end(_ generation: ChatRoomGeneration) async {
        do {
            try await CallChatRecord.query(on: database)
                .filter(\.$room == generation.room)
                .filter(\.$generation == generation.id)
                .filter(\.$isPublic == false)
                .delete()
        } catch {
            // Left behind, they are still never replayed: no later generation has this id.
            logger.error("call chat: could not delete the private history of room \(generation.room): \(error)")
        }
    }
}
