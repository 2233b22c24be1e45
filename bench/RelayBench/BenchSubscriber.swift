import Histogram
import Relay
import SDP
import RTP

/// The receiving side of a participant: decrypts every RTP packet, follows each media stream's
/// sequence numbers to count what was lost, records the latency the publisher's send time in
/// the padding shows, and, when the SFU offered transport-wide-cc, sends transport-wide
/// feedback on everything it receives as a browser does (`BenchSubscriber+Feedback.swift`).
final class BenchSubscriber {
    /// One incoming stream's sequence numbers, extended past the 16-bit wrap (RFC 3550 A.1),
    /// and which of the latest ones arrived, so a duplicate is not counted as delivered.
    final class Stream {
        static let window: Int64 = 1024
        let first: Int64
        private(set) var highest: Int64
        private(set) var received: UInt64 = 1
        private(set) var duplicates: UInt64 = 0
        private var seen = [UInt64](repeating: 0, count: Int(window / 64))

        init(first: Int64) {
            self.first = first
            highest = first
            mark(first)
        }

        var expected: UInt64 { UInt64(highest - first + 1) }

        /// Takes the next packet's 16-bit number; false if it was a duplicate.
        func receive(_ sequenceNumber: UInt16) -> Bool {
            let step = Int64(Int16(bitPattern: sequenceNumber &- UInt16(truncatingIfNeeded: highest)))
            let number = highest + step
            if step > 0 {
                // The numbers skipped over are not seen yet (their bits held older ones).
                var cleared = highest + 1
                while cleared < number, cleared <= highest + Self.window {
                    unmark(cleared)
                    cleared += 1
                }
                highest = number
            } else if number <= highest - Self.window || number < first {
                // Too old to tell: counted, as a receiver's jitter buffer would drop it anyway.
                received &+= 1
                return true
            } else if isMarked(number) {
                duplicates &+= 1
                return false
            }
            mark(number)
            received &+= 1
            return true
        }

        private func mark(_ number: Int64) { seen[Int((number / 64) % (Self.window / 64))] |= 1 << UInt64(number % 64) }
        private func unmark(_ number: Int64) { seen[Int((number / 64) % (Self.window / 64))] &= ~(1 << UInt64(number % 64)) }
        private func isMarked(_ number: Int64) -> Bool { seen[Int((number / 64) % (Self.window / 64))] & (1 << UInt64(number % 64)) != 0 }
    }

    let peer: BenchPeer
    private(set) var streams: [UInt32: Stream] = [:]
    /// Media packets (the offer's codecs, with a payload) that decrypted, a duplicate counted once:
    /// what the SFU delivered.
    private(set) var packetsReceived: UInt64 = 0
    /// Media packets that arrived again under a number already received.
    private(set) var duplicatePackets: UInt64 = 0
    /// The lengths of the RTP datagrams received (media and repairs, as sent): the mix the
    /// scenario's floor is measured at.
    private(set) var sizes = PacketSizeMix()
    /// Retransmissions and padding-only probes: on the offer's RTX payload types, or empty.
    private(set) var repairPacketsReceived: UInt64 = 0
    private(set) var bytesReceived: UInt64 = 0
    /// Video frames whose last packet (the marker) arrived, and the video streams they came on:
    /// the frame rate a viewer gets.
    private(set) var videoFramesReceived: UInt64 = 0
    private(set) var videoSsrcs: Set<UInt32> = []
    private(set) var decryptFailures: UInt64 = 0
    var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    /// The publishers' frames, when the run decodes and checks what it receives, and one
    /// verifier per incoming stream.
    private let sources: SourceFrames?
    private(set) var verifiers: [UInt32: MediaVerifier] = [:]
    /// The id the SFU stamps its transport-wide sequence number under, if it offered one.
    private(set) var transportSequenceNumberExtensionId: UInt8?
    private var rtxPayloadTypes: Set<UInt8> = []
    var feedback: TransportFeedbackRecorder?
    /// Transport-wide feedback packets sent to the SFU.
    var feedbackSent: UInt64 = 0
    var rtcpBuffer = [UInt8](repeating: 0, count: 1500)
    /// A thin downlink in front of this subscriber (bits): datagrams beyond its rate are dropped
    /// before anything reads them, as a policer would, so the SFU sees loss in the feedback.
    var downlink: TokenBucket?
    /// Datagrams the downlink dropped.
    private(set) var packetsShed: UInt64 = 0

    init(peer: BenchPeer, verifyingAgainst sources: SourceFrames? = nil) {
        self.peer = peer
        self.sources = sources
    }

    /// Takes what the SFU's (latest) offer says about the streams: the transport-wide-cc id,
    /// which starts feedback, and the RTX payload types.
    func configure(from offer: SessionDescription) {
        for section in offer.media {
            if let id = section.headerExtensionId(SdpHeaderExtension.transportWideCc).flatMap({ UInt8(exactly: $0) }) {
                transportSequenceNumberExtensionId = id
            }
            for value in section.values(of: "rtpmap") {
                let parts = value.split(separator: " ", maxSplits: 1)
                if parts.count == 2, parts[1].lowercased().hasPrefix("rtx/"), let type = UInt8(parts[0]) { rtxPayloadTypes.insert(type) }
            }
        }
        if transportSequenceNumberExtensionId != nil, feedback == nil {
            feedback = TransportFeedbackRecorder(senderSsrc: UInt32.random(in: 1...UInt32.max))
        }
    }

    /// Forgets what was counted so far: measurement starts after the warm-up.
    func resetCounters() {
        streams.removeAll(keepingCapacity: true)
        packetsReceived = 0
        duplicatePackets = 0
        sizes = PacketSizeMix()
        repairPacketsReceived = 0
        bytesReceived = 0
        videoFramesReceived = 0
        videoSsrcs.removeAll(keepingCapacity: true)
        feedbackSent = 0
        packetsShed = 0
        latency.reset()
    }

    func handle(_ datagram: UnsafeMutableRawBufferPointer, now: UInt64) {
        guard DatagramKind(classifying: UnsafeRawBufferPointer(datagram)) == .rtp, let inbound = peer.inbound else { return }
        if var bucket = downlink {
            let fits = bucket.take(Double(datagram.count * 8), at: now)
            downlink = bucket
            guard fits else {
                packetsShed &+= 1
                return
            }
        }
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
        sizes.record(datagram.count)
        recordTransportSequence(packet, header: header, now: now)
        guard !header.payloadRange.isEmpty, !rtxPayloadTypes.contains(header.payloadType) else {
            repairPacketsReceived &+= 1
            return
        }
        let stream: Stream
        if let known = streams[header.ssrc] {
            stream = known
            guard stream.receive(header.sequenceNumber) else {
                duplicatePackets &+= 1
                return
            }
        } else {
            stream = Stream(first: Int64(header.sequenceNumber))
            streams[header.ssrc] = stream
        }
        packetsReceived &+= 1
        if header.payloadType != BenchSdp.opusPayloadType {
            videoSsrcs.insert(header.ssrc)
            if header.marker { videoFramesReceived &+= 1 }
        }
        if let sources {
            let verifier = verifiers[header.ssrc] ?? MediaVerifier(sources: sources)
            verifiers[header.ssrc] = verifier
            verifier.handle(packet, header: header)
        }
        if let sent = SendTimePadding.read(packet, header: header), sent <= now {
            // Microseconds: the histogram's three digits then cover 1 µs to a minute.
            _ = latency.record(min((now - sent) / 1000, 60_000_000))
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
