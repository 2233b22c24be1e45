import DTLS
import Relay
import SDP

/// One participant of a benchmark room: its signaling socket, a publish connection if it
/// publishes, and the subscribe connection the relay offers when there is something to receive.
final class BenchParticipant: BenchClient {
    let name: String
    let signaling: SignalingSocket
    let context: DtlsContext
    let fingerprint: CertificateFingerprint
    private(set) var publisher: BenchPublisher?
    private(set) var subscriber: BenchSubscriber?

    private let verifies: Bool

    init(name: String, room: String, host: String, port: UInt16, context: DtlsContext, verifies: Bool = false) throws {
        self.name = name
        self.verifies = verifies
        self.context = context
        fingerprint = context.certificate.fingerprint
        signaling = try SignalingSocket(host: host, port: port)
        try signaling.send(["type": "join", "room": room, "name": name, "mode": "sfu"])
        _ = try signaling.receive(type: "joined")
    }

    /// Publishes and connects the publish transport.
    func publish(audio: AudioClip, video: VideoClip?, pacing: BenchPublisher.Pacing) throws {
        let peer = try BenchPeer()
        let publisher = BenchPublisher(peer: peer, audio: audio, video: video, pacing: pacing)
        let offer = BenchSdp.publishOffer(
            peer: peer, fingerprint: fingerprint, audioSsrc: publisher.audioSsrc,
            video: video == nil ? nil : (publisher.videoSsrc, publisher.rtxSsrc))
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
            subscriber = BenchSubscriber(peer: peer, verifies: verifies)
        }
        subscriber?.configure(from: offer)
    }

}
