import RTP

/// One subscriber's copy of a track: the outgoing SSRC, the rewriting that keeps its stream
/// contiguous whatever the source does, its retransmission stream, and what its sender reports
/// count.
final class Subscription {
    /// The retransmission stream the subscriber negotiated (RFC 4588 §4): its own SSRC,
    /// payload type and sequence numbers.
    struct Retransmission {
        let ssrc: UInt32
        let payloadType: UInt8
        var nextSequenceNumber = UInt16.random(in: 0...UInt16.max)
    }

    let track: TrackID
    /// The transport the subscriber receives on. The subscription leaves its transport's table
    /// when either goes, which breaks this reference's cycle.
    let subscriber: RoutedTransport
    var rewriter: RtpStreamRewriter
    var retransmission: Retransmission?
    /// Video held back because the subscriber's path cannot carry it.
    var isPaused = false
    /// After a pause, the next packet sent is the start of a keyframe.
    var awaitsKeyframe = false
    var packetsSent: UInt64 = 0
    /// Payload octets sent, for sender reports (RFC 3550 §6.4.1).
    var octetsSent: UInt64 = 0

    init(
        track: TrackID, subscriber: RoutedTransport, ssrc: UInt32, payloadType: UInt8, clockRate: UInt32,
        retransmission: Retransmission? = nil
    ) {
        self.track = track
        self.subscriber = subscriber
        self.retransmission = retransmission
        rewriter = RtpStreamRewriter(
            ssrc: ssrc, payloadType: payloadType, clockRate: clockRate,
            initialSequenceNumber: UInt16.random(in: 0...UInt16.max),
            initialTimestamp: UInt32.random(in: 0...UInt32.max))
    }

    var ssrc: UInt32 { rewriter.ssrc }

    /// Writes a publisher's packet as this subscription sends it and returns its length, or 0
    /// when the rewriter refuses it (another source, or older than where forwarding started).
    func write(
        _ source: UnsafeRawBufferPointer, header: RtpHeader, extensions: ForwardedPacket.Extensions, now: UInt64,
        into buffer: UnsafeMutableRawBufferPointer
    ) -> Int {
        guard let mapping = rewriter.map(
            sequenceNumber: header.sequenceNumber, timestamp: header.timestamp, ssrc: header.ssrc, now: now)
        else { return 0 }
        return ForwardedPacket.write(
            source, header: header, payloadType: rewriter.payloadType, sequenceNumber: mapping.sequenceNumber,
            timestamp: mapping.timestamp, ssrc: rewriter.ssrc, extensions: extensions, into: buffer)
    }

    /// Writes a stored packet again for a NACK: on the retransmission stream when there is one,
    /// as RTX (RFC 4588 §4: the original sequence number before the payload), else as first
    /// sent. Returns the length, or 0 when it cannot be written.
    func writeRetransmission(
        _ stored: UnsafeRawBufferPointer, header: RtpHeader, extensions: ForwardedPacket.Extensions, now: UInt64,
        into buffer: UnsafeMutableRawBufferPointer
    ) -> Int {
        guard var retransmission else { return write(stored, header: header, extensions: extensions, now: now, into: buffer) }
        guard let mapping = rewriter.map(
            sequenceNumber: header.sequenceNumber, timestamp: header.timestamp, ssrc: header.ssrc, now: now)
        else { return 0 }
        let length = ForwardedPacket.writeRetransmission(
            stored, header: header, payloadType: retransmission.payloadType,
            sequenceNumber: retransmission.nextSequenceNumber, originalSequenceNumber: mapping.sequenceNumber,
            timestamp: mapping.timestamp, ssrc: retransmission.ssrc, extensions: extensions, into: buffer)
        if length > 0 {
            retransmission.nextSequenceNumber &+= 1
            self.retransmission = retransmission
        }
        return length
    }

    /// Writes a padding-only probe packet on the retransmission stream, stamped with the media
    /// stream's latest timestamp; 0 without a retransmission stream or before any media.
    func writeProbe(extensions: ForwardedPacket.Extensions, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard var retransmission, let last = rewriter.lastMapping else { return 0 }
        let length = ForwardedPacket.writePadding(
            payloadType: retransmission.payloadType, sequenceNumber: retransmission.nextSequenceNumber,
            timestamp: last.timestamp, ssrc: retransmission.ssrc, paddingLength: ProbeSchedule.paddingLength,
            extensions: extensions, into: buffer)
        if length > 0 {
            retransmission.nextSequenceNumber &+= 1
            self.retransmission = retransmission
        }
        return length
    }
}
