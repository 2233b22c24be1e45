import Congestion

/// A probe cluster being sent to a subscriber: probe packets spaced so that they and the media
/// sent meanwhile (which counts in the cluster too) together reach the cluster's rate, until it
/// has its bytes and packets; the client's feedback tells how fast the path carried them.
/// Probes at the whole rate on top of the media would probe at their sum, and on a thin path
/// overflow the queue the probe is meant to measure.
///
/// A large, fast cluster goes as copies of media packets already sent, on the retransmission
/// stream (RFC 4588): a quarter of the datagrams that padding would take for the same bytes,
/// each a datagram the relay sends and the client reads. Any other goes as padding: copies in
/// 100 ms clusters of 5 KB under a 400 kbit/s cap made the capped subscriber freeze 2.6 to
/// 6.5 s in 20 s in two runs of three, and padding in none of three. With padding such a
/// freeze still came in about one run in four, after the cap's queue dropped a few dozen
/// packets that the relay, sending above the estimate, did not repair
/// (`SubscribeLeg.retransmissionCopies`): the copies were at most part of the cause.
struct ProbeSchedule {
    /// The padding a probe packet carries: RTP padding is counted in one byte (RFC 3550 §5.1).
    static let paddingLength = 255
    /// The datagram a padding probe makes: the padding and about 40 bytes of RTP header,
    /// extensions and SRTP tag.
    static let paddingPacketSize = paddingLength + 40
    /// Bytes of a copied media packet, for the choice between copies and padding: a camera's
    /// packets run near 1,200 bytes but a frame's last one is shorter.
    static let copySize = 1_000
    /// A cluster goes as copies only with room for this many, at this rate at least.
    static let minimumCopies = 10
    static let minimumCopyBitrate = 5_000_000
    /// The probes' share of the cluster's rate at least, so that a cluster has packets of its
    /// own whatever the media sends.
    static let minimumPaddingShare = 0.25

    let request: ProbeRequest
    /// Bits per second the probe packets themselves go at.
    let bitrate: Int
    /// Whether the cluster goes as copies of media packets rather than padding.
    let sendsCopies: Bool
    private(set) var bytesLeft: Int
    private(set) var packetsLeft: Int
    private(set) var nextSend: UInt64

    /// mediaBitrate: what the subscriber is being sent now, in bits per second.
    init(request: ProbeRequest, mediaBitrate: Int, start: UInt64) {
        self.request = request
        bitrate = max(request.bitrate - mediaBitrate, Int(Self.minimumPaddingShare * Double(request.bitrate)), 1)
        let bytes = Int(Int64(bitrate) * Int64(request.duration) / 8_000_000_000)
        sendsCopies = bitrate >= Self.minimumCopyBitrate && bytes >= max(request.minimumPackets, Self.minimumCopies) * Self.copySize
        bytesLeft = max(bytes, request.minimumPackets * (sendsCopies ? Self.copySize : Self.paddingPacketSize))
        packetsLeft = request.minimumPackets
        nextSend = start
    }

    var isFinished: Bool { bytesLeft <= 0 && packetsLeft <= 0 }

    /// Whether a probe packet is due at `now`.
    func isDue(now: UInt64) -> Bool { !isFinished && nextSend <= now }

    /// A probe packet of `size` bytes went: the next is due when the cluster's rate has carried it.
    mutating func sent(size: Int) {
        bytesLeft -= size
        packetsLeft -= 1
        nextSend += UInt64(size) * 8_000_000_000 / UInt64(bitrate)
    }
}
