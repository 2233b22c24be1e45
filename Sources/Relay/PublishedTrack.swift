import Congestion
import RTP

/// A track on the relay: where its packets come from, what is kept of them, and who receives
/// them.
final class PublishedTrack {
    /// The video packets kept to answer NACKs: about a second of a high-rate stream.
    static let historyCapacity = 512
    static let historyMaximumAge: UInt64 = 1_000_000_000

    let description: TrackDescription
    var subscriptions: [Subscription] = []
    /// The SSRC currently forwarded; a publisher has one per track without simulcast.
    var mediaSsrc: UInt32?
    var lastKeyframeRequest: UInt64?
    var packetsReceived: UInt64 = 0
    /// Of the media SSRC, for the relay's receiver reports to the publisher.
    var receiveStatistics: RtpReceiveStatistics
    /// The last video packets received, by their source sequence number, to answer the NACKs
    /// of every subscriber (RFC 4585 §6.2.1). Audio is not repaired: a late frame is useless.
    /// Made at the first packet, so a track that never sends costs nothing.
    private(set) var history: RetransmissionBuffer?
    /// The video packets the relay waits for from the publisher and asks it for again, so a
    /// lossy uplink does not become loss for every subscriber.
    var nacks: NackGenerator?
    /// The audio levels since the last activity report.
    var levels = AudioLevelAccumulator()
    /// What the publisher sends on the forwarded SSRC: what a subscriber of the track costs.
    private var receiveRate = RateWindow(window: 1_000_000_000)

    init(description: TrackDescription) {
        self.description = description
        mediaSsrc = description.ssrcs.first
        receiveStatistics = RtpReceiveStatistics(clockRate: description.clockRate)
        if description.kind == .video { nacks = NackGenerator() }
    }

    /// A media packet of `size` bytes arrived at `now`.
    func recordRate(size: Int, now: UInt64) {
        receiveRate.add(size: size, at: Int64(truncatingIfNeeded: now))
    }

    /// Bits per second the publisher sends, 0 until measured.
    func bitrate(at now: UInt64) -> Int {
        receiveRate.bitrate(at: Int64(truncatingIfNeeded: now)) ?? 0
    }

    /// Whether `packet` starts a keyframe, for the codecs whose keyframes the relay can read;
    /// any packet of another codec counts, so its video is never held back for good.
    func startsKeyframe(_ packet: UnsafeRawBufferPointer, header: RtpHeader) -> Bool {
        let payload = UnsafeRawBufferPointer(rebasing: packet[header.payloadRange])
        switch description.codecName {
        case "vp8": return (try? Vp8PayloadDescriptor.isKeyframe(payload)) ?? false
        case "vp9": return (try? Vp9PayloadDescriptor.parse(payload).startsKeyframe) ?? false
        case "h264": return (try? H264Payload.parse(payload).isKeyframe) ?? false
        default: return true
        }
    }

    /// Whether the history holds the packet with `sequenceNumber`.
    func holds(_ sequenceNumber: UInt16, now: UInt64) -> Bool {
        history?.withPacket(sequenceNumber: sequenceNumber, now: now) { _ in true } ?? false
    }

    /// Keeps a video packet for retransmission.
    func storeInHistory(sequenceNumber: UInt16, bytes: UnsafeRawBufferPointer, now: UInt64) throws(RetransmissionBufferError) {
        guard description.kind == .video else { return }
        if history == nil {
            history = try RetransmissionBuffer(
                capacity: Self.historyCapacity, slotSize: MediaRouter.maximumDatagramLength,
                maximumAge: Self.historyMaximumAge)
        }
        try history?.store(sequenceNumber: sequenceNumber, bytes: bytes, now: now)
    }

    /// The audio level byte the publisher sent with `packet` (RFC 6464 §3), if it negotiated it.
    func audioLevel(in packet: UnsafeRawBufferPointer, header: RtpHeader) -> UInt8? {
        guard let id = description.audioLevelExtensionID,
            let range = header.extensions(in: packet).element(id: id), !range.isEmpty
        else { return nil }
        return packet[range.lowerBound]
    }
}
