/// Chat history in memory: the last `messagesPerRoom` messages of the `maximumRooms` rooms that
/// spoke most recently, so a server that sees many rooms does not grow without bound.
public actor InMemoryChatHistory: ChatHistory {
    public let messagesPerRoom: Int
    public let maximumRooms: Int
    private var messages: [String: [CallChatMessage]] = [:]
    /// Room names, least recently written first.
    private var recency: [String] = []

    public init(messagesPerRoom: Int = 100, maximumRooms: Int = 1000) {
        self.messagesPerRoom = messagesPerRoom
        self.maximumRooms = maximumRooms
    }

    public func append(_ message: CallChatMessage, room: String) {
        var kept = messages[room] ?? []
        kept.append(message)
        if kept.count > messagesPerRoom { kept.removeFirst(kept.count - messagesPerRoom) }
        messages[room] = kept
        recency.removeAll { $0 == room }
        recency.append(room)
        while recency.count > maximumRooms {
            messages[recency.removeFirst()] = nil
        }
    }

    public func recent(room: String, limit: Int) -> [CallChatMessage] {
        Array((messages[room] ?? []).suffix(max(0, limit)))
    }
}
