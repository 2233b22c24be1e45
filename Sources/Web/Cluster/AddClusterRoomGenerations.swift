import Fluent

/// The chat generation of each placed room: the node that opens the room after another (its
/// owner died, or drained and moved it) continues the same call, with the same chat history.
/// Null for rows from before, whose next node draws a generation of its own.
struct AddClusterRoomGenerations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CreateClusterRooms.schema).field("generation", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CreateClusterRooms.schema).deleteField("generation").update()
    }
}
