import DTLS
import Relay
import SDP

/// A benchmark participant in a Janus VideoRoom: publishes on one handle and receives every
/// other publisher of the room on a second, multistream subscriber handle.
final class JanusParticipant: BenchClient {
    let session: JanusSession
    let room: UInt64
    let contexts: (client: DtlsContext, server: DtlsContext)
    private(set) var publisher: BenchPublisher?
    private(set) var subscriber: BenchSubscriber?
    private(set) var feedId: UInt64?

    private let sources: SourceFrames?

    init(session: JanusSession, room: UInt64, contexts: (client: DtlsContext, server: DtlsContext), verifyingAgainst sources: SourceFrames? = nil) {
        self.sources = sources
        self.session = session
        self.room = room
        self.contexts = contexts
    }

    static func createRoom(_ room: UInt64, session: JanusSession) throws {
        let handle = try session.attach()
        _ = try session.message(handle: handle, [
            "request": "create", "room": room, "publishers": 100, "bitrate": 0, "fir_freq": 0,
            "audiocodec": "opus", "videocodec": "vp8", "notify_joining": false,
        ])
    }

    func publish(name: String, audio: AudioClip, video: VideoClip?, pacing: BenchPublisher.Pacing) throws {
        let handle = try session.attach()
        let joined = try session.message(handle: handle, ["request": "join", "ptype": "publisher", "room": room, "display": name])
        feedId = JanusSession.number(joined.data["id"])
        let peer = try BenchPeer()
        let publisher = BenchPublisher(peer: peer, audio: audio, video: video, pacing: pacing)
        let offer = BenchSdp.publishOffer(
            peer: peer, fingerprint: contexts.client.certificate.fingerprint, audioSsrc: publisher.audioSsrc,
            video: video == nil ? nil : (publisher.videoSsrc, publisher.rtxSsrc))
        let published = try session.message(
            handle: handle, ["request": "publish", "audio": true, "video": video != nil],
            jsep: ["type": "offer", "sdp": offer, "trickle": false])
        guard let text = published.jsep?["sdp"] as? String else { throw JanusSession.Failure(description: "no answer to publish") }
        let answer = try SessionDescription(parsing: text)
        // Janus answers a publisher's actpass with active, taking the DTLS client role.
        let setup = answer.media.first?.setup ?? answer.setup
        try peer.connect(to: BenchSdp.remote(of: answer), context: setup == .passive ? contexts.client : contexts.server)
        self.publisher = publisher
    }

    /// Receives `feeds` (other publishers of the room) on one subscriber connection.
    func subscribe(to feeds: [UInt64]) throws {
        guard !feeds.isEmpty else { return }
        let handle = try session.attach()
        let attached = try session.message(handle: handle, [
            "request": "join", "ptype": "subscriber", "room": room, "streams": feeds.map { ["feed": $0] },
        ])
        guard let text = attached.jsep?["sdp"] as? String else { throw JanusSession.Failure(description: "no subscriber offer") }
        let offer = try SessionDescription(parsing: text)
        let peer = try BenchPeer()
        let answer = BenchSdp.subscribeAnswer(to: offer, peer: peer, fingerprint: contexts.client.certificate.fingerprint)
        _ = try session.message(handle: handle, ["request": "start"], jsep: ["type": "answer", "sdp": answer, "trickle": false])
        try peer.connect(to: BenchSdp.remote(of: offer), context: contexts.client)
        let subscriber = BenchSubscriber(peer: peer, verifyingAgainst: sources)
        subscriber.configure(from: offer)
        self.subscriber = subscriber
    }
}
