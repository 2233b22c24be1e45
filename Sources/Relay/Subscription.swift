import RTP

/// One subscriber's copy of a track: the outgoing SSRC and the rewriting that keeps its stream
/// contiguous whatever the source does.
final class Subscription {
    let track: TrackID
    let transport: TransportID
    var rewriter: RtpStreamRewriter
    var packetsSent: UInt64 = 0
    /// Payload octets sent, for sender reports (RFC 3550 §6.4.1).
    var octetsSent: UInt64 = 0

    init(track: TrackID, transport: TransportID, ssrc: UInt32, payloadType: UInt8, clockRate: UInt32) {
        self.track = track
        self.transport = transport
        rewriter = RtpStreamRewriter(
            ssrc: ssrc, payloadType: payloadType, clockRate: clockRate,
            initialSequenceNumber: UInt16.random(in: 0...UInt16.max),
            initialTimestamp: UInt32.random(in: 0...UInt32.max))
    }

    var ssrc: UInt32 { rewriter.ssrc }
}
