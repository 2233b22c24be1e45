import Histogram
import Relay
import RTP

/// The receiving side of a participant: decrypts every RTP packet, follows each stream's
/// sequence numbers to count what was lost, and records the latency its abs-send-time shows.
final class BenchSubscriber {
    /// One incoming stream's sequence numbers, extended past the 16-bit wrap (RFC 3550 A.1).
    struct Stream {
        var first: Int64
        var highest: Int64
        var received: UInt64 = 1

        var expected: UInt64 { UInt64(highest - first + 1) }
    }

    let peer: BenchPeer
    private(set) var streams: [UInt32: Stream] = [:]
    private(set) var packetsReceived: UInt64 = 0
    private(set) var bytesReceived: UInt64 = 0
    private(set) var decryptFailures: UInt64 = 0
    var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    /// One verifier per incoming stream when the run decodes what it receives.
    private let verifies: Bool
    private(set) var verifiers: [UInt32: MediaVerifier] = [:]

    init(peer: BenchPeer, verifies: Bool = false) {
        self.peer = peer
        self.verifies = verifies
    }

    /// Forgets what was counted so far: measurement starts after the warm-up.
    func resetCounters() {
        streams.removeAll(keepingCapacity: true)
        packetsReceived = 0
        bytesReceived = 0
        latency.reset()
    }

    func handle(_ datagram: UnsafeMutableRawBufferPointer, now: UInt64) {
        guard DatagramKind(classifying: UnsafeRawBufferPointer(datagram)) == .rtp, let inbound = peer.inbound else { return }
        bytesReceived &+= UInt64(datagram.count)
        let length: Int
        do {
            length = try inbound.unprotectRtp(datagram, length: datagram.count)
        } catch {
            decryptFailures &+= 1
            return
        }
        let packet = UnsafeRawBufferPointer(rebasing: datagram[0..<length])
        guard let header = try? RtpHeader.parse(packet) else { return }
        packetsReceived &+= 1
        if verifies {
            let verifier = verifiers[header.ssrc] ?? MediaVerifier()
            verifiers[header.ssrc] = verifier
            verifier.handle(packet, header: header)
        }
        if let range = header.extensions(in: packet).element(id: BenchSdp.absSendTimeExtensionId), range.count == 3 {
            let sent = UInt32(packet[range.lowerBound]) << 16 | UInt32(packet[range.lowerBound + 1]) << 8 | UInt32(packet[range.lowerBound + 2])
            // Microseconds: the histogram's three digits then cover 1 µs to a minute.
            _ = latency.record(AbsSendTime.elapsed(since: sent, now: now) / 1000)
        }
        if var stream = streams[header.ssrc] {
            let step = Int16(bitPattern: header.sequenceNumber &- UInt16(truncatingIfNeeded: stream.highest))
            stream.highest = max(stream.highest, stream.highest + Int64(step))
            stream.received &+= 1
            streams[header.ssrc] = stream
        } else {
            streams[header.ssrc] = Stream(first: Int64(header.sequenceNumber), highest: Int64(header.sequenceNumber))
        }
    }

    /// Packets missing from the sequence of every stream.
    var packetsLost: UInt64 {
        streams.values.reduce(0) { $0 + ($1.expected > $1.received ? $1.expected - $1.received : 0) }
    }

    var packetsExpected: UInt64 {
        streams.values.reduce(0) { $0 + max($1.expected, $1.received) }
    }
}
