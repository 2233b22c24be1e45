@testable import DTLS

/// Two DTLS endpoints joined by an in-memory link that drops and reorders datagrams with a
/// seeded generator. Retransmission is driven only by the endpoints' own timers.
struct LossyLink {
    var generator: SeededGenerator
    let dropProbability: Double
    let reorderProbability: Double
    private(set) var dropped = 0
    private(set) var reordered = 0
    private(set) var delivered = 0

    init(seed: UInt64, dropProbability: Double, reorderProbability: Double) {
        generator = SeededGenerator(seed: seed)
        self.dropProbability = dropProbability
        self.reorderProbability = reorderProbability
    }

    /// Takes what `from` has to send, loses and shuffles some of it, and hands the rest to `to`.
    mutating func carry(from: DtlsEndpoint, to: DtlsEndpoint) {
        var inFlight: [[UInt8]] = []
        while let datagram = from.pollTransmit() {
            if Double.random(in: 0..<1, using: &generator) < dropProbability {
                dropped += 1
            } else {
                inFlight.append(datagram)
            }
        }
        if inFlight.count > 1 && Double.random(in: 0..<1, using: &generator) < reorderProbability {
            inFlight.swapAt(0, inFlight.count - 1)
            reordered += 1
        }
        for datagram in inFlight {
            delivered += 1
            try? to.handleDatagram(datagram, now: MonotonicClock.now())
        }
    }

    /// Runs both endpoints until neither is handshaking or `limit` nanoseconds pass.
    mutating func run(client: DtlsEndpoint, server: DtlsEndpoint, limit: UInt64 = 20_000_000_000) {
        let start = MonotonicClock.now()
        client.start(now: start)
        server.start(now: start)
        while client.state == .handshaking || server.state == .handshaking {
            carry(from: client, to: server)
            carry(from: server, to: client)
            let now = MonotonicClock.now()
            guard now - start < limit else { return }
            let deadlines = [client.nextTimeout, server.nextTimeout].compactMap { $0 }
            if let next = deadlines.min() {
                MonotonicClock.sleep(until: next)
            }
            let later = MonotonicClock.now()
            client.handleTimeout(now: later)
            server.handleTimeout(now: later)
        }
        carry(from: client, to: server)
        carry(from: server, to: client)
    }
}
