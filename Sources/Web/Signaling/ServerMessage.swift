import Foundation

/// A message from the server on the signaling socket (DESIGN.md, "Signaling").
public enum ServerMessage: Equatable, Sendable {
    public struct Peer: Equatable, Sendable, Codable {
        public var id: String
        public var name: String
    }

    public struct IceServer: Equatable, Sendable, Codable {
        public var urls: [String]
        public var username: String?
        public var credential: String?
    }

    public struct OfferedTrack: Equatable, Sendable, Codable {
        public var mid: String
        public var peer: String
        public var kind: String
    }

    case joined(id: String, room: String, mode: CallMode, peers: [Peer], iceServers: [IceServer])
    case peerJoined(Peer)
    case peerLeft(id: String)
    case answer(sdp: String)
    case offer(sdp: String, tracks: [OfferedTrack])
    case signal(from: String, data: JSONValue)
    case mode(CallMode)
    case chat(from: String, name: String, text: String, ts: Int64)
    case error(SignalingError)

    /// The JSON text frame.
    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Wire(self))) ?? Data(#"{"type":"error","code":"internal","message":"encoding failed"}"#.utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private struct Wire: Encodable {
        let message: ServerMessage
        init(_ message: ServerMessage) { self.message = message }

        enum Key: String, CodingKey {
            case type, id, room, mode, peers, iceServers, peer, sdp, tracks, from, data, name, text, ts, code, message
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            switch message {
            case .joined(let id, let room, let mode, let peers, let iceServers):
                try container.encode("joined", forKey: .type)
                try container.encode(id, forKey: .id)
                try container.encode(room, forKey: .room)
                try container.encode(mode, forKey: .mode)
                try container.encode(peers, forKey: .peers)
                try container.encode(iceServers, forKey: .iceServers)
            case .peerJoined(let peer):
                try container.encode("peer-joined", forKey: .type)
                try container.encode(peer, forKey: .peer)
            case .peerLeft(let id):
                try container.encode("peer-left", forKey: .type)
                try container.encode(id, forKey: .id)
            case .answer(let sdp):
                try container.encode("answer", forKey: .type)
                try container.encode(sdp, forKey: .sdp)
            case .offer(let sdp, let tracks):
                try container.encode("offer", forKey: .type)
                try container.encode(sdp, forKey: .sdp)
                try container.encode(tracks, forKey: .tracks)
            case .signal(let from, let data):
                try container.encode("signal", forKey: .type)
                try container.encode(from, forKey: .from)
                try container.encode(data, forKey: .data)
            case .mode(let mode):
                try container.encode("mode", forKey: .type)
                try container.encode(mode, forKey: .mode)
            case .chat(let from, let name, let text, let ts):
                try container.encode("chat", forKey: .type)
                try container.encode(from, forKey: .from)
                try container.encode(name, forKey: .name)
                try container.encode(text, forKey: .text)
                try container.encode(ts, forKey: .ts)
            case .error(let error):
                try container.encode("error", forKey: .type)
                try container.encode(error.code, forKey: .code)
                try container.encode(error.message, forKey: .message)
            }
        }
    }
}
