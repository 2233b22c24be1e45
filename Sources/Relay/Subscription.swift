import RTP

/// One subscriber's copy of a track: the outgoing SSRC, the rewriting that keeps its stream
/// contiguous whatever the source does, its retransmission stream, and what its sender reports
/// count.
///
/// What every packet written updates is `@exclusivity(unchecked)`, as in `SubscribeLeg`: one
/// worker's thread uses a subscription, and no write reenters another.
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
    @exclusivity(unchecked) var rewriter: RtpStreamRewriter
    var retransmission: Retransmission?
    /// When its packets were last resent.
    var resends = ResendGuard()
    /// The layer of the track being forwarded; nil before the first keyframe, and while video
    /// is held back.
    private(set) var currentLayer: Int?
    /// The layer to forward next, switched to at its first keyframe; nil holds video back.
    var targetLayer: Int?
    /// Video held back because the subscriber's path cannot carry even the lowest layer.
    var isPausedForBandwidth = false
    /// The size the subscriber shows the track at, in device pixels; nil until it says, 0×0
    /// when the track is not on its screen.
    var displaySize: DisplaySize?
    /// Time hysteresis for the layer the allocator chooses.
    var layerPolicy = LayerSwitchPolicy()
    /// The temporal layers forwarded of the current layer.
    var temporalLayers = TemporalLayerFilter()
    /// VP8 or VP9 picture numbers, continuous across layer switches.
    @exclusivity(unchecked) private var pictureRenumbering: PictureRenumbering?
    /// The next packet written starts a source: its picture numbers continue the last ones.
    @exclusivity(unchecked) private var startsSource = false
    @exclusivity(unchecked) var packetsSent: UInt64 = 0
    /// Payload octets sent, for sender reports (RFC 3550 §6.4.1).
    @exclusivity(unchecked) var octetsSent: UInt64 = 0

    init(
        track: TrackID, subscriber: RoutedTransport, ssrc: UInt32, payloadType: UInt8, clockRate: UInt32,
        retransmission: Retransmission? = nil, pictureNumbering: PictureRenumbering.Format? = nil,
        initialLayer: Int? = 0
    ) {
        self.track = track
        self.subscriber = subscriber
        self.retransmission = retransmission
        pictureRenumbering = pictureNumbering.map { PictureRenumbering(format: $0) }
        targetLayer = initialLayer
        rewriter = RtpStreamRewriter(
            ssrc: ssrc, payloadType: payloadType, clockRate: clockRate,
            initialSequenceNumber: UInt16.random(in: 0...UInt16.max),
            initialTimestamp: UInt32.random(in: 0...UInt32.max))
    }

    var ssrc: UInt32 { rewriter.ssrc }

    /// Forwards `layer`, whose stream is `ssrc`, from the packet about to be written.
    func switchLayer(to layer: Int, ssrc: UInt32) {
        currentLayer = layer
        rewriter.switchSource(to: ssrc)
        startsSource = true
    }

    /// Holds video back until `targetLayer` is set again; it then restarts at a keyframe.
    func stopLayer() {
        currentLayer = nil
        targetLayer = nil
    }

    /// Writes a publisher's packet as this subscription sends it and returns its length, or 0
    /// when the rewriter refuses it (another source, or older than where forwarding started).
    func write(
        _ source: UnsafeRawBufferPointer, header: RtpHeader, extensions: ForwardedPacket.Extensions, now: UInt64,
        into buffer: UnsafeMutableRawBufferPointer
    ) -> Int {
        guard let mapping = rewriter.map(
            sequenceNumber: header.sequenceNumber, timestamp: header.timestamp, ssrc: header.ssrc, now: now)
        else { return 0 }
        let length = ForwardedPacket.write(
            source, header: header, payloadType: rewriter.payloadType, sequenceNumber: mapping.sequenceNumber,
            timestamp: mapping.timestamp, ssrc: rewriter.ssrc, extensions: extensions, into: buffer)
        // The payload ends where the source's does, before any padding.
        let payloadEnd = length - (source.count - header.payloadRange.upperBound)
        renumberPicture(in: buffer, payload: (payloadEnd - header.payloadRange.count)..<payloadEnd, written: length)
        return length
    }

    /// Leaves a publisher's packet out (a temporal layer above the one forwarded): the packets
    /// and pictures after it are numbered as if it never was.
    func skip(_ source: UnsafeRawBufferPointer, header: RtpHeader) {
        rewriter.skip(sequenceNumber: header.sequenceNumber, ssrc: header.ssrc)
        pictureRenumbering?.skip(UnsafeRawBufferPointer(rebasing: source[header.payloadRange]))
    }

    private func renumberPicture(in buffer: UnsafeMutableRawBufferPointer, payload: Range<Int>, written length: Int) {
        guard length > 0, pictureRenumbering != nil else { return }
        pictureRenumbering?.rewrite(UnsafeMutableRawBufferPointer(rebasing: buffer[payload]), startsSource: startsSource)
        startsSource = false
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
        // After the original sequence number, the payload as sent; padding is not repeated.
        renumberPicture(in: buffer, payload: (length - header.payloadRange.count)..<length, written: length)
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
