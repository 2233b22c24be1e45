import Relay

/// A set of flood datagrams of one kind that the relay must all drop for the same reason, so
/// what a batch sent from one lane tells exactly how many drops of that reason to expect.
struct FloodLane: Sendable {
    var kind: FloodKind
    /// The drop the relay should count for each of them.
    var expected: DropReason
    /// Variants sent in turn.
    var datagrams: [[UInt8]]
    /// Sent one `sendto` at a time: a batch cannot hold an empty datagram or one larger than
    /// its slots.
    var unbatched = false

    /// Every lane of the mix, by kind, against `target`.
    static func mix(for target: FloodTarget) -> [FloodKind: [FloodLane]] {
        var generator = SystemRandomNumberGenerator()
        func random(_ count: Int, first: ClosedRange<UInt8>? = nil, firstFrom choices: [UInt8] = []) -> [UInt8] {
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if count > 0, let first { bytes[0] = UInt8.random(in: first, using: &generator) }
            if count > 0, let choice = choices.randomElement(using: &generator) { bytes[0] = choice }
            return bytes
        }
        func variants(_ make: () -> [UInt8]) -> [[UInt8]] { (0..<32).map { _ in make() } }
        let outsideEveryRange: [UInt8] = Array(UInt8(4)...19) + Array(UInt8(64)...127) + Array(UInt8(192)...255)

        // Random bytes: an address with no transport, so the first byte alone decides the drop
        // (RFC 7983): STUN with no USERNAME naming a transport, DTLS before ICE, RTP/RTCP from
        // an unknown source, the rest of no kind; the length decides it for oversized (over the
        // relay's 1500, up to 9,000: a worker that takes segmented sends whole has 64 KiB
        // buffers) and empty (truncated) datagrams.
        let randomBytes = [
            FloodLane(kind: .randomBytes, expected: .unauthenticatedStun, datagrams: variants { random(Int.random(in: 1...600), first: 0...3) }),
            FloodLane(kind: .randomBytes, expected: .dtlsBeforeIce, datagrams: variants { random(Int.random(in: 1...1400), first: 20...63) }),
            FloodLane(kind: .randomBytes, expected: .unknownSource, datagrams: variants { random(Int.random(in: 2...1400), first: 128...191) }),
            FloodLane(
                kind: .randomBytes, expected: .unknownKind,
                datagrams: variants { random(Int.random(in: 1...1400), firstFrom: outsideEveryRange) } + variants { random(1, first: 128...191) }),
            FloodLane(kind: .randomBytes, expected: .oversizedDatagram, datagrams: variants { random(Int.random(in: 1501...9000)) }, unbatched: true),
            FloodLane(kind: .randomBytes, expected: .truncatedDatagram, datagrams: [[]], unbatched: true),
        ]

        func request(_ username: String, key: [UInt8]?, fingerprint: Bool = true) -> [UInt8] {
            StunMessage(.request, .binding, transactionId: .random(), attributes: [
                .username(username), .priority(2_130_706_431), .iceControlling(UInt64.random(in: 0...UInt64.max)), .useCandidate,
            ]).encoded(integrityKey: key, fingerprint: fingerprint)
        }
        let wrongKey = { random(24) }
        let unknownUfrag = FloodLane(kind: .stunUnknownUfrag, expected: .unauthenticatedStun, datagrams: variants {
            let username = "\(IceCredentials.random().ufrag):\(IceCredentials.random().ufrag)"
            return request(username, key: wrongKey(), fingerprint: Bool.random())
        })
        // Real ufrags: a wrong integrity, the wrong remote ufrag, or no integrity at all.
        let pairs = target.ufrags.isEmpty ? [(relay: "none", peer: "none")] : target.ufrags
        var index = 0
        let realUfrag = FloodLane(kind: .stunRealUfrag, expected: .stunBadCredentials, datagrams: variants {
            let pair = pairs[index % pairs.count]
            index += 1
            switch index % 3 {
            case 0: return request("\(pair.relay):\(pair.peer)", key: wrongKey())
            case 1: return request("\(pair.relay):\(IceCredentials.random().ufrag)", key: wrongKey())
            default: return request("\(pair.relay):\(pair.peer)", key: nil)
            }
        })

        let ssrcs = target.ssrcs.isEmpty ? [1] : target.ssrcs
        func ssrcBytes() -> [UInt8] {
            let ssrc = ssrcs.randomElement(using: &generator) ?? 1
            return [UInt8(ssrc >> 24), UInt8(ssrc >> 16 & 0xFF), UInt8(ssrc >> 8 & 0xFF), UInt8(ssrc & 0xFF)]
        }
        // RTP header (V=2, the bench's VP8 or Opus payload type), a garbage payload, a 16-byte tag.
        let srtp = FloodLane(kind: .forgedSrtp, expected: .unknownSource, datagrams: variants {
            let payloadType: UInt8 = [BenchSdp.vp8PayloadType, BenchSdp.opusPayloadType].randomElement(using: &generator) ?? 96
            let marker: UInt8 = Bool.random() ? 0x80 : 0
            var bytes: [UInt8] = [0x80, payloadType | marker]
            bytes += random(6)
            bytes += ssrcBytes()
            bytes += random(Int.random(in: 40...1200) + 16)
            return bytes
        })
        // An SRTCP sender report or PLI of a real SSRC, then a garbage E|index and tag.
        let srtcp = FloodLane(kind: .forgedSrtcp, expected: .unknownSource, datagrams: variants {
            var bytes: [UInt8]
            if Bool.random() {
                bytes = [0x80, 200, 0x00, 0x06]
                bytes += ssrcBytes()
                bytes += random(20)
            } else {
                bytes = [0x81, 206, 0x00, 0x02]
                bytes += random(4)
                bytes += ssrcBytes()
            }
            bytes += random(4 + 16)
            return bytes
        })
        return [
            .randomBytes: randomBytes, .stunUnknownUfrag: [unknownUfrag], .stunRealUfrag: [realUfrag],
            .forgedSrtp: [srtp], .forgedSrtcp: [srtcp],
        ]
    }
}
