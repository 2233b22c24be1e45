import Congestion

/// A probe cluster being sent to a subscriber: padding packets spaced at the cluster's rate
/// until it has its packets, so the client's feedback tells how fast the path carried them.
struct ProbeSchedule {
    /// The padding a probe packet carries: RTP padding is counted in one byte (RFC 3550 §5.1).
    static let paddingLength = 255

    let request: ProbeRequest
    private(set) var remaining: Int
    private(set) var nextSend: UInt64
    private let interval: UInt64

    init(request: ProbeRequest, start: UInt64) {
        let size = Self.paddingLength + 40
        self.request = request
        remaining = request.packetCount(packetSize: size)
        interval = request.packetInterval(packetSize: size)
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
