import Congestion
import RTP

/// One RTP stream of a published track: the only one without simulcast, one simulcast layer
/// (RFC 8853) with it. What the relay receives, keeps and asks for again is per stream.
final class PublishedLayer {
    /// The video packets kept to answer NACKs: about a second of a high-rate stream.
    static let historyCapacity = 512
    static let historyMaximumAge: UInt64 = 1_000_000_000
    /// A layer that sent nothing for this long is off (a publisher stops a layer its own
    /// estimate cannot carry): nobody is switched to it.
    static let inactiveAfter: UInt64 = 1_000_000_000

    /// The RID the layer is sent under, nil without simulcast.
    let rid: String?
    /// The SSRC, signalled or learned from the first packet that names the RID.
    var ssrc: UInt32?
    var packetsReceived: UInt64 = 0
    var lastArrival: UInt64?
    var lastKeyframeRequest: UInt64?
    /// The picture size the last key frame stated, where the payload says it (VP8, VP9, H.264); 0 unknown.
    var width = 0
    var height = 0
    /// For the relay's receiver reports to the publisher.
    var receiveStatistics: RtpReceiveStatistics
    /// The last video packets received, by their source sequence number, to answer the NACKs
    /// of every subscriber (RFC 4585 §6.2.1). Audio is not repaired: a late frame is useless.
    /// Made at the first packet, so a layer that never sends costs nothing.
    private(set) var history: RetransmissionBuffer?
    /// The video packets the relay waits for from the publisher and asks it for again, so a
    /// lossy uplink does not become loss for every subscriber; none on a mirror of another
    /// worker's track, whose worker asks.
    var nacks: NackGenerator?
    private let keepsHistory: Bool
    private var receiveRate = RateWindow(window: 1_000_000_000)
    /// What each temporal layer brings, when the publisher sends them (L1T2, L1T3); made at the
    /// first packet that names one.
    private var temporalRates: [RateWindow] = []

    init(rid: String?, ssrc: UInt32?, kind: MediaKind, clockRate: UInt32) {
        self.rid = rid
        self.ssrc = ssrc
        receiveStatistics = RtpReceiveStatistics(clockRate: clockRate)
        keepsHistory = kind == .video
        if kind == .video { nacks = NackGenerator() }
    }

    /// A media packet of `size` bytes arrived at `now`.
    func recordArrival(size: Int, now: UInt64) {
        packetsReceived &+= 1
        lastArrival = now
        receiveRate.add(size: size, at: Int64(truncatingIfNeeded: now))
    }

    /// A packet of `size` bytes of temporal layer `temporalLayer` (0...3) arrived at `now`.
    func recordTemporal(size: Int, temporalLayer: UInt8, now: UInt64) {
        guard temporalLayer < 4 else { return }
        while temporalRates.count <= Int(temporalLayer) { temporalRates.append(RateWindow(window: 1_000_000_000)) }
        temporalRates[Int(temporalLayer)].add(size: size, at: Int64(truncatingIfNeeded: now))
    }

    /// The temporal layers the publisher sends (0 when it names none).
    var temporalLayerCount: Int { temporalRates.count }

    /// Bits per second of temporal layers 0 through `temporalLayer` together.
    func bitrate(upToTemporalLayer temporalLayer: Int, at now: UInt64) -> Int {
        temporalRates.prefix(temporalLayer + 1).reduce(0) { $0 + ($1.bitrate(at: Int64(truncatingIfNeeded: now)) ?? 0) }
    }

    /// Bits per second the publisher sends on this layer, 0 until measured.
    func bitrate(at now: UInt64) -> Int {
        receiveRate.bitrate(at: Int64(truncatingIfNeeded: now)) ?? 0
    }

    /// Whether the publisher is sending this layer.
    func isActive(at now: UInt64) -> Bool {
        guard let lastArrival else { return false }
        return now < lastArrival + Self.inactiveAfter
    }

    /// Whether the history holds the packet with `sequenceNumber`.
    func holds(_ sequenceNumber: UInt16, now: UInt64) -> Bool {
        history?.withPacket(sequenceNumber: sequenceNumber, now: now) { _ in true } ?? false
    }

    /// Keeps a video packet for retransmission.
    func storeInHistory(sequenceNumber: UInt16, bytes: UnsafeRawBufferPointer, now: UInt64) throws(RetransmissionBufferError) {
        guard keepsHistory else { return }
        if history == nil {
            history = try RetransmissionBuffer(
                capacity: Self.historyCapacity, slotSize: MediaRouter.maximumDatagramLength,
                maximumAge: Self.historyMaximumAge)
        }
        try history?.store(sequenceNumber: sequenceNumber, bytes: bytes, now: now)
    }
}
