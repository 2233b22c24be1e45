/// Chat history in memory: the last `messagesPerRoom` messages of the `maximumRooms` rooms that
/// spoke most recently, so a server that sees many rooms does not grow without bound.
public actor InMemoryChatHistory: ChatHistory {
    private struct Entry {
        let message: CallChatMessage
        let generation: String
        let isPublic: Bool
    }

    public let messagesPerRoom: Int
    public let maximumRooms: Int
    private var entries: [String: [Entry]] = [:]
    /// Room names, least recently written first.
    private var recency: [String] = []

    public init(messagesPerRoom: Int = 100, maximumRooms: Int = 1000) {
        self.messagesPerRoom = messagesPerRoom
        self.maximumRooms = maximumRooms
    }

    public func append(_ message: CallChatMessage, in generation: ChatRoomGeneration, isPublic: Bool) {
        let room = generation.room
        var kept = entries[room] ?? []
        kept.append(Entry(message: message, generation: generation.id, isPublic: isPublic))
        if kept.count > messagesPerRoom { kept.removeFirst(kept.count - messagesPerRoom) }
        entries[room] = kept
        recency.removeAll { $0 == room }
        recency.append(room)
        while recency.count > maximumRooms {
            entries[recency.removeFirst()] = nil
        }
    }

    public func recent(in generation: ChatRoomGeneration, includingPublic: Bool, limit: Int) -> [CallChatMessage] {
        let visible = (entries[generation.room] ?? []).filter {
            $0.generation == generation.id || (includingPublic && $0.isPublic)
        }
        return visible.suffix(max(0, limit)).map(\.message)
    }

    public func end(_ generation: ChatRoomGeneration) {
        guard var kept = entries[generation.room] else { return }
        kept.removeAll { $0.generation == generation.id && !$0.isPublic }
        if kept.isEmpty {
            entries[generation.room] = nil
            recency.removeAll { $0 == generation.room }
        } else {
            entries[generation.room] = kept
        }
    }
}
