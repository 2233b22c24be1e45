import Foundation

/// A message from the server on the signaling socket (DESIGN.md, "Signaling"; the additions are
/// in the README).
public enum ServerMessage: Equatable, Sendable {
    public struct Peer: Equatable, Sendable, Codable {
        public var id: String
        public var name: String
        public var audio: Bool
        public var video: Bool
        public var screen: Bool

        public init(id: String, name: String, media: MediaState = MediaState()) {
            self.id = id
            self.name = name
            audio = media.audio
            video = media.video
            screen = media.screen
        }
    }

    public struct IceServer: Equatable, Sendable, Codable {
        public var urls: [String]
        public var username: String?
        public var credential: String?

        public init(urls: [String], username: String? = nil, credential: String? = nil) {
            self.urls = urls
            self.username = username
            self.credential = credential
        }
    }

    public struct OfferedTrack: Equatable, Sendable, Codable {
        public var mid: String
        public var peer: String
        public var kind: String
    }

    /// `mode` is the mode in use, `sfu` or `p2p`; `history` the room's last chat messages.
    case joined(id: String, room: String, mode: CallMode, peers: [Peer], iceServers: [IceServer], history: [CallChatMessage])
    case peerJoined(Peer)
    case peerLeft(id: String)
    case answer(sdp: String)
    case offer(sdp: String, tracks: [OfferedTrack])
    case signal(from: String, data: JSONValue)
    case mode(CallMode, reason: ModeChangeReason)
    case chat(CallChatMessage)
    case mediaState(id: String, MediaState)
    case room(RoomState)
    case error(SignalingError)
    /// Sfu mode: what the relay estimates of the path from it to this participant.
    case link(LinkEstimate)
    /// The room's dominant speaker changed (sfu rooms: the relay reads the audio levels).
    case speaker(id: String)
    /// Sfu mode: which layer of `peer`'s camera the relay now sends this participant, or that
    /// it holds that video back because the participant's path cannot carry it.
    case videoLayer(peer: String, rid: String?, width: Int, height: Int, paused: Bool)
    /// The server is shutting down: it exits once its rooms are empty, at the latest in
    /// `seconds`, and opens no new rooms meanwhile.
    case serverDraining(seconds: Int)
    /// After `joined`: should the socket drop, `resume` with `token` within `seconds` takes the
    /// participant back, its media untouched.
    case resumable(token: String, seconds: Int)
    /// The answer to a `resume`: the participant is back, and what was said to it meanwhile follows.
    case resumed(id: String)
    /// An admin took the participant out of the room (`removed`) or ended the room
    /// (`room-ended`): it is no longer in it, and its page must not join again by itself.
    case removed(reason: String)
    /// The answer to a `join` on the wrong node of a cluster: `room` lives on node `node`, whose
    /// pages are at `url`; the client is to join there. Sent instead of `joined`.
    case redirect(room: String, node: String, url: String)
    /// Cluster: the participant's room now lives on node `node` (this one drains): its page
    /// leaves here and joins there, at `url`.
    case moved(room: String, node: String, url: String)
    /// Cluster, after `joined`: the public URLs of the other live nodes, where the page looks for
    /// its call should this node stop answering.
    case nodes(urls: [String])

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
            case type, id, room, mode, reason, peers, iceServers, history, peer, sdp, tracks, from, data, name, text, ts
            case audio, video, screen, owner, locked, capacity, passwordProtected, modePolicy, code, message
            case downlink, rid, width, height, paused, seconds, token, node, url, urls
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            switch message {
            case .joined(let id, let room, let mode, let peers, let iceServers, let history):
                try container.encode("joined", forKey: .type)
                try container.encode(id, forKey: .id)
                try container.encode(room, forKey: .room)
                try container.encode(mode, forKey: .mode)
                try container.encode(peers, forKey: .peers)
                try container.encode(iceServers, forKey: .iceServers)
                try container.encode(history, forKey: .history)
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
            case .mode(let mode, let reason):
                try container.encode("mode", forKey: .type)
                try container.encode(mode, forKey: .mode)
                try container.encode(reason, forKey: .reason)
            case .chat(let chat):
                try container.encode("chat", forKey: .type)
                try container.encode(chat.id, forKey: .id)
                try container.encode(chat.from, forKey: .from)
                try container.encode(chat.name, forKey: .name)
                try container.encode(chat.text, forKey: .text)
                try container.encode(chat.ts, forKey: .ts)
            case .mediaState(let id, let state):
                try container.encode("media-state", forKey: .type)
                try container.encode(id, forKey: .id)
                try container.encode(state.audio, forKey: .audio)
                try container.encode(state.video, forKey: .video)
                try container.encode(state.screen, forKey: .screen)
            case .room(let state):
                try container.encode("room", forKey: .type)
                try container.encode(state.owner, forKey: .owner)
                try container.encode(state.locked, forKey: .locked)
                try container.encode(state.capacity, forKey: .capacity)
                try container.encode(state.passwordProtected, forKey: .passwordProtected)
                try container.encode(state.modePolicy, forKey: .modePolicy)
            case .link(let estimate):
                try container.encode("link", forKey: .type)
                try container.encode(estimate, forKey: .downlink)
            case .speaker(let id):
                try container.encode("speaker", forKey: .type)
                try container.encode(id, forKey: .peer)
            case .videoLayer(let peer, let rid, let width, let height, let paused):
                try container.encode("video-layer", forKey: .type)
                try container.encode(peer, forKey: .peer)
                // Always present: null says the stream has no RIDs.
                if let rid { try container.encode(rid, forKey: .rid) } else { try container.encodeNil(forKey: .rid) }
                try container.encode(width, forKey: .width)
                try container.encode(height, forKey: .height)
                try container.encode(paused, forKey: .paused)
            case .resumable(let token, let seconds):
                try container.encode("resumable", forKey: .type)
                try container.encode(token, forKey: .token)
                try container.encode(seconds, forKey: .seconds)
            case .resumed(let id):
                try container.encode("resumed", forKey: .type)
                try container.encode(id, forKey: .id)
            case .removed(let reason):
                try container.encode("removed", forKey: .type)
                try container.encode(reason, forKey: .reason)
            case .redirect(let room, let node, let url):
                try container.encode("redirect", forKey: .type)
                try container.encode(room, forKey: .room)
                try container.encode(node, forKey: .node)
                try container.encode(url, forKey: .url)
            case .moved(let room, let node, let url):
                try container.encode("moved", forKey: .type)
                try container.encode(room, forKey: .room)
                try container.encode(node, forKey: .node)
                try container.encode(url, forKey: .url)
            case .nodes(let urls):
                try container.encode("nodes", forKey: .type)
                try container.encode(urls, forKey: .urls)
            case .serverDraining(let seconds):
                try container.encode("server-draining", forKey: .type)
                try container.encode(seconds, forKey: .seconds)
            case .error(let error):
                try container.encode("error", forKey: .type)
                try container.encode(error.code, forKey: .code)
                try container.encode(error.message, forKey: .message)
            }
        }
    }
}
