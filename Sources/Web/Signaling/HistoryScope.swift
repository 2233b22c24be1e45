/// The chat history a participant may be shown on joining (see `ChatHistory`).
struct HistoryScope: Equatable {
    let generation: ChatRoomGeneration
    let includingPublic: Bool
}
