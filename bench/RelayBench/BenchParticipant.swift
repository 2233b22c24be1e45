import Foundation
import DTLS
import Relay
import SDP

/// One participant of a benchmark room: its signaling socket, a publish connection if it
/// publishes, and the subscribe connection the relay offers when there is something to receive.
final class BenchParticipant: BenchClient {
    let name: String
    /// The id the relay gave this participant (`joined`).
    let id: String
    /// A receive-only participant's index in its room.
    var subscriberIndex: Int?
    /// The publishers whose tiles it shows, in a simulcast scenario.
    var tilesToShow: [String] = []
    private(set) var signaling: SignalingSocket
    let context: DtlsContext
    let fingerprint: CertificateFingerprint
    private(set) var publisher: BenchPublisher?
    private(set) var subscriber: BenchSubscriber?

    private let sources: SourceFrames?

    init(name: String, room: String, host: String, port: UInt16, context: DtlsContext, verifyingAgainst sources: SourceFrames? = nil) throws {
        self.name = name
        self.sources = sources
        self.context = context
        fingerprint = context.certificate.fingerprint
        signaling = try SignalingSocket(host: host, port: port)
        let join: [String: Any] = ["type": "join", "room": room, "name": name, "mode": "sfu"]
        try signaling.send(join)
        var answer = try signaling.receive(oneOf: ["joined", "redirect"])
        // A cluster node that does not have the room names the one that does: join there.
        if answer["type"] as? String == "redirect" {
            guard let url = (answer["url"] as? String).flatMap(URLComponents.init(string:)), let redirectHost = url.host,
                let redirectPort = url.port.flatMap(UInt16.init(exactly:))
            else { throw BenchSdp.Failure(description: "a redirect without a usable URL: \(answer)") }
            signaling = try SignalingSocket(host: redirectHost, port: redirectPort)
            try signaling.send(join)
            answer = try signaling.receive(oneOf: ["joined"])
        }
        id = answer["id"] as? String ?? ""
    }

    /// Tells the relay the size at which this participant shows `peer`'s camera (`tile`).
    func showTile(of peer: String, width: Int, height: Int) throws {
        try signaling.send(["type": "tile", "peer": peer, "width": width, "height": height])
    }

    /// Publishes and connects the publish transport.
    /// `lowerLayers`: simulcast layers below `video`, which then goes as the top one, `f`.
    func publish(audio: AudioClip, video: VideoClip?, pacing: BenchPublisher.Pacing, lowerLayers: [SimulcastLayer] = []) throws {
        let peer = try BenchPeer()
        let publisher = BenchPublisher(
            peer: peer, audio: audio, video: video, pacing: pacing, topRid: lowerLayers.isEmpty ? nil : "f", lowerLayers: lowerLayers)
        let offer = BenchSdp.publishOffer(
            peer: peer, fingerprint: fingerprint, audioSsrc: publisher.audioSsrc,
            video: video == nil ? nil : (publisher.videoSsrc, publisher.rtxSsrc), rids: publisher.rids)
        try signaling.send(["type": "publish", "sdp": offer])
        var answer: [String: Any]?
        while answer == nil {
            let message = try signaling.receive()
            switch message["type"] as? String {
            case "answer": answer = message
            case "offer": try handleOffer(message)
            case "error": throw BenchSdp.Failure(description: "publish refused: \(message)")
            default: continue
            }
        }
        guard let text = answer?["sdp"] as? String else { throw BenchSdp.Failure(description: "an answer without SDP") }
        try peer.connect(to: BenchSdp.remote(of: SessionDescription(parsing: text)), context: context)
        self.publisher = publisher
    }

    /// Answers every subscribe offer waiting on the socket, for up to `quiet` seconds of silence.
    func answerOffers(quiet: Double) throws {
        while true {
            let message: [String: Any]
            do {
                message = try signaling.receive(timeout: quiet)
            } catch SignalingSocket.Failure.timeout {
                return
            }
            if message["type"] as? String == "offer" { try handleOffer(message) }
        }
    }

    private func handleOffer(_ message: [String: Any]) throws {
        guard let text = message["sdp"] as? String else { return }
        let offer = try SessionDescription(parsing: text)
        let peer = try subscriber?.peer ?? BenchPeer()
        try signaling.send(["type": "answer", "sdp": BenchSdp.subscribeAnswer(to: offer, peer: peer, fingerprint: fingerprint)])
        if subscriber == nil {
            try peer.connect(to: BenchSdp.remote(of: offer), context: context)
            subscriber = BenchSubscriber(peer: peer, verifyingAgainst: sources)
        }
        subscriber?.configure(from: offer)
    }

}
