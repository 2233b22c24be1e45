import Foundation
import Vapor

/// Who is in which chat room, so a message reaches everyone in its room.
actor ChatHub {
    private var rooms: [String: [UUID: WebSocket]] = [:]

    func join(_ room: String, id: UUID, socket: WebSocket) {
        rooms[room, default: [:]][id] = socket
    }

    func leave(_ room: String, id: UUID) {
        rooms[room]?[id] = nil
        if rooms[room]?.isEmpty == true {
            rooms[room] = nil
        }
    }

    func broadcast(_ event: ChatEvent, to room: String) {
        let text = event.encoded()
        for socket in (rooms[room] ?? [:]).values {
            socket.send(text, promise: nil)
        }
    }

    func memberCount(of room: String) -> Int {
        rooms[room]?.count ?? 0
    }
}
