/// Bandwidth estimation toward subscribers: the estimators' timers and the probe clusters they
/// ask for.
extension MediaRouter {
    /// The earliest time a subscriber's estimator or probe needs the router.
    func estimationTimeout(of transport: RoutedTransport) -> UInt64? {
        transport.peer.isConnected ? transport.subscribing.nextTimeout : nil
    }

    func handleEstimationTimeout(of transport: RoutedTransport, now: UInt64, sink: some DatagramSink) {
        let leg = transport.subscribing
        leg.handleEstimatorTimeout(now: now)
        guard var probe = leg.probe else { return }
        let due = probe.takeDue(now: now)
        leg.probe = probe.isFinished ? nil : probe
        guard due > 0 else { return }
        // Probes go on a video stream's retransmission stream, which the client discards after
        // reading the extensions; a transport with none is not probed.
        guard let carrier = leg.subscriptions.first(where: { $0.retransmission != nil && $0.rewriter.lastMapping != nil }) else {
            leg.probe = nil
            return
        }
        let absSendTime = ForwardedPacket.absSendTime(at: now)
        for _ in 0..<due {
            let extensions = ForwardedPacket.Extensions(
                transportSequenceNumber: leg.nextTransportSequenceNumber, absSendTime: absSendTime)
            let sent = transport.peer.sendRtp(sink: sink) { buffer in carrier.writeProbe(extensions: extensions, into: buffer) }
            guard sent > 0 else { break }
            leg.packetSent(size: sent, now: now, probeCluster: probe.request.clusterId)
            probePackets &+= 1
        }
    }
}
