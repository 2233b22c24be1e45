import RTP

/// What the relay tells each publisher about the packets it sent: transport-wide feedback, so
/// the publisher's bandwidth estimator sees the path to the relay, and NACKs for the video
/// packets that did not arrive.
extension MediaRouter {
    func publisherFeedbackTimeout(of transport: RoutedTransport) -> UInt64? {
        transport.peer.isConnected ? transport.publishing.nextTimeout : nil
    }

    func sendPublisherFeedback(to transport: RoutedTransport, now: UInt64, sink: some DatagramSink) {
        var packets = transport.publishing.pollFeedback(now: now)
        for track in transport.publishing.tracks {
            for layer in track.layers {
                guard let mediaSsrc = layer.ssrc, let lost = layer.nacks?.pollNack(now: now), !lost.isEmpty else { continue }
                packets.append(.genericNack(RtcpGenericNack(senderSsrc: relaySsrc, mediaSsrc: mediaSsrc, lostSequenceNumbers: lost)))
                requestedRetransmissions &+= UInt64(lost.count)
            }
        }
        if !packets.isEmpty { send(packets, on: transport, sink: sink) }
    }
}
