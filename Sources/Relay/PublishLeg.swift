import Congestion
import RTP

/// What the relay keeps of a transport a client publishes on: its tracks by the SSRCs their
/// packets arrive with, and what the client's bandwidth estimation needs from the relay about
/// the path to it: transport-wide feedback on every packet it sent, or, for a client that
/// negotiated REMB instead, the relay's own estimate of that path.
final class PublishLeg {
    /// SSRCs learned from packets, beyond those signalled, that one transport may add: an
    /// unknown SSRC costs a scan of this transport's tracks only, and the table stays small.
    static let maximumLearnedSsrcs = 16
    /// How often feedback goes to the publisher; sooner when a packet is missing.
    static let feedbackInterval: UInt64 = 50_000_000

    /// A layer of a track, as an SSRC leads to it.
    struct Route {
        let track: PublishedTrack
        let layer: Int

        var publishedLayer: PublishedLayer { track.layers[layer] }
    }

    private(set) var tracks: [PublishedTrack] = []
    private(set) var routesBySsrc: [UInt32: Route] = [:]
    /// Each layer's retransmission stream (RFC 4588), by its SSRC.
    private(set) var retransmissionRoutesBySsrc: [UInt32: Route] = [:]
    /// The id the client sends its transport-wide sequence number under, once negotiated.
    private(set) var transportSequenceNumberExtensionID: UInt8?
    private(set) var feedback: TransportFeedbackRecorder?
    /// The id the client sends abs-send-time under, when it reads REMB rather than
    /// transport-wide feedback.
    private(set) var absSendTimeExtensionID: UInt8?
    private(set) var receiveEstimator: ReceiveSideEstimator?
    private var learnedSsrcs = 0
    private let feedbackSenderSsrc: UInt32

    init(feedbackSenderSsrc: UInt32) {
        self.feedbackSenderSsrc = feedbackSenderSsrc
    }

    func add(_ track: PublishedTrack) {
        tracks.append(track)
        if track.description.rids.isEmpty {
            // Without simulcast the first signalled SSRC is the track's stream; any other
            // (an SSRC group the relay does not split) arrives as a non-primary SSRC.
            for ssrc in track.description.ssrcs { routesBySsrc[ssrc] = Route(track: track, layer: 0) }
            for ssrc in track.description.rtxSsrcs { retransmissionRoutesBySsrc[ssrc] = Route(track: track, layer: 0) }
        }
        if let id = track.description.transportSequenceNumberExtensionID {
            // Every section of a bundle shares one id (RFC 8843 §9.2).
            transportSequenceNumberExtensionID = id
            if feedback == nil {
                feedback = TransportFeedbackRecorder(senderSsrc: feedbackSenderSsrc, interval: Self.feedbackInterval)
                if let ssrc = track.description.ssrcs.first { feedback?.setMediaSsrc(ssrc) }
            }
            absSendTimeExtensionID = nil
            receiveEstimator = nil
        } else if feedback == nil, let id = track.description.absSendTimeExtensionID {
            absSendTimeExtensionID = id
            if receiveEstimator == nil { receiveEstimator = ReceiveSideEstimator() }
        }
    }

    func remove(_ track: PublishedTrack) {
        tracks.removeAll { $0 === track }
        routesBySsrc = routesBySsrc.filter { $0.value.track !== track }
        retransmissionRoutesBySsrc = retransmissionRoutesBySsrc.filter { $0.value.track !== track }
    }

    /// Routes `ssrc` to a layer of a track from now on, as media or as its retransmission
    /// stream; false when this transport learned too many.
    func learn(ssrc: UInt32, for route: Route, retransmission: Bool) -> Bool {
        guard learnedSsrcs < Self.maximumLearnedSsrcs else { return false }
        learnedSsrcs += 1
        if retransmission {
            retransmissionRoutesBySsrc[ssrc] = route
        } else {
            routesBySsrc[ssrc] = route
            if feedback?.mediaSsrc == 0 { feedback?.setMediaSsrc(ssrc) }
        }
        return true
    }

    /// Notes a packet that arrived, whatever stream it belongs to (media, retransmission or
    /// padding): by its transport-wide sequence number for the feedback, or by its abs-send-time
    /// for the relay's own estimate.
    func recordArrival(of packet: UnsafeRawBufferPointer, header: RtpHeader, at arrival: UInt64) {
        if let id = transportSequenceNumberExtensionID {
            guard let range = header.extensions(in: packet).element(id: id), range.count >= 2 else { return }
            let sequenceNumber = UInt16(packet[range.lowerBound]) << 8 | UInt16(packet[range.lowerBound + 1])
            feedback?.record(sequenceNumber: sequenceNumber, arrival: arrival)
        } else if let id = absSendTimeExtensionID {
            guard let range = header.extensions(in: packet).element(id: id), range.count >= 3 else { return }
            let absSendTime = UInt32(packet[range.lowerBound]) << 16 | UInt32(packet[range.lowerBound + 1]) << 8
                | UInt32(packet[range.lowerBound + 2])
            receiveEstimator?.packetArrived(absSendTime: absSendTime, size: packet.count, at: arrival)
        }
    }

    /// The loss the relay's receiver report to this publisher just counted, all its streams
    /// together: it bounds the relay's own estimate of the path, when it makes one.
    func lossReported(lost: Int, expected: Int, now: UInt64) {
        receiveEstimator?.lossReported(lost: lost, expected: expected, at: now)
    }

    /// When feedback or a NACK to this publisher is next due.
    var nextTimeout: UInt64? {
        // Most transports of a large room only subscribe: asked on each pass of the worker's
        // loop, they answer at once.
        guard !tracks.isEmpty else { return nil }
        var earliest = feedback?.nextTimeout
        if let due = receiveEstimator?.nextReport, due < earliest ?? .max { earliest = due }
        for track in tracks {
            for layer in track.layers {
                if let deadline = layer.nacks?.nextTimeout, deadline < earliest ?? .max { earliest = deadline }
            }
        }
        return earliest
    }

    /// The feedback packets due at `now`: transport-wide feedback, or a REMB naming every
    /// media SSRC of the transport (the rate is for all of them together).
    func pollFeedback(now: UInt64) -> [RtcpPacket] {
        var packets: [RtcpPacket] = []
        while let packet = feedback?.pollFeedback(now: now) { packets.append(.transportFeedback(packet)) }
        if let bitrate = receiveEstimator?.pollReport(at: now) {
            let ssrcs = tracks.flatMap { $0.layers.compactMap(\.ssrc) }.prefix(255)
            packets.append(
                .receiverEstimatedMaxBitrate(
                    RtcpReceiverEstimatedMaxBitrate(senderSsrc: feedbackSenderSsrc, bitrate: UInt64(bitrate), ssrcs: Array(ssrcs))))
        }
        return packets
    }
}
