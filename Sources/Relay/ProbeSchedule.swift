import Congestion

/// A probe cluster being sent to a subscriber: padding packets spaced so that they and the media
/// sent meanwhile (which counts in the cluster too) together reach the cluster's rate, until it
/// has its packets; the client's feedback tells how fast the path carried them. Padding at the
/// whole rate on top of the media would probe at their sum, and on a thin path overflow the
/// queue the probe is meant to measure.
struct ProbeSchedule {
    /// The padding a probe packet carries: RTP padding is counted in one byte (RFC 3550 §5.1).
    static let paddingLength = 255
    /// The padding's share of the cluster's rate at least, so that a cluster has packets of its
    /// own whatever the media sends.
    static let minimumPaddingShare = 0.25

    let request: ProbeRequest
    private(set) var remaining: Int
    private(set) var nextSend: UInt64
    private let interval: UInt64

    /// mediaBitrate: what the subscriber is being sent now, in bits per second.
    init(request: ProbeRequest, mediaBitrate: Int, start: UInt64) {
        let size = Self.paddingLength + 40
        var padding = request
        padding.bitrate = max(request.bitrate - mediaBitrate, Int(Self.minimumPaddingShare * Double(request.bitrate)))
        self.request = request
        remaining = padding.packetCount(packetSize: size)
        interval = padding.packetInterval(packetSize: size)
        nextSend = start
    }

    var isFinished: Bool { remaining <= 0 }

    /// How many packets are due at `now`; they count as sent.
    mutating func takeDue(now: UInt64) -> Int {
        var due = 0
        while remaining > 0, nextSend <= now {
            due += 1
            remaining -= 1
            nextSend += interval
        }
        return due
    }
}
