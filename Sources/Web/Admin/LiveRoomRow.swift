import Foundation
import Relay

/// A live room as the admin page writes it: every figure already in words.
struct LiveRoomRow: Encodable {
    struct ParticipantRow: Encodable {
        var id: String
        var name: String
        /// `online`, or `reconnecting` while it is held for its page to resume.
        var signaling: String
        /// Its connections to the relay (`publish connected, subscribe connecting`), or
        /// `direct` in a p2p room.
        var media: String
        var roundTrip: String
        var estimate: String
        /// The layer it gets of each other camera: `Bo: h 640×360; Cy: video paused`.
        var layers: String
    }

    var name: String
    var mode: String
    var locked: Bool
    var participants: [ParticipantRow]

    init(_ room: LiveRoom) {
        name = room.name
        mode = room.mode == room.policy ? room.mode.rawValue : "\(room.mode.rawValue) (created \(room.policy.rawValue))"
        locked = room.locked
        participants = room.participants.map { participant in
            ParticipantRow(
                id: participant.id, name: participant.name, signaling: participant.isOnline ? "online" : "reconnecting",
                media: room.mode == .p2p ? "direct" : Self.connections(participant),
                roundTrip: participant.estimate?.roundTripTime.map { "\($0 / 1_000_000) ms" } ?? "–",
                estimate: participant.estimate.map { "\(Self.bitrate($0.bitrate)), \(Int(($0.lossFraction * 100).rounded()))% lost" } ?? "–",
                layers: participant.layers.map { "\($0.name): \(Self.describe($0.layer))" }.joined(separator: "; "))
        }
    }

    private static func connections(_ participant: LiveParticipant) -> String {
        func state(_ connected: Bool?) -> String {
            switch connected {
            case true?: "connected"
            case false?: "connecting"
            case nil: "not yet offered"
            }
        }
        return "publish \(state(participant.publishConnected)), subscribe \(state(participant.subscribeConnected))"
    }

    static func bitrate(_ bitsPerSecond: Int) -> String {
        bitsPerSecond >= 1_000_000
            ? String(format: "%.1f Mbit/s", Double(bitsPerSecond) / 1_000_000)
            : "\(bitsPerSecond / 1000) kbit/s"
    }

    static func describe(_ layer: LiveLayer) -> String {
        if layer.paused { return "video paused" }
        let size = layer.width > 0 && layer.height > 0 ? "\(layer.width)×\(layer.height)" : ""
        return [layer.rid ?? "", size].filter { !$0.isEmpty }.joined(separator: " ").nilIfEmpty ?? "one layer"
    }
}

private extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
