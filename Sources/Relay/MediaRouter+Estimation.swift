/// Bandwidth estimation toward subscribers: the estimators' timers, the probe clusters they ask
/// for, and holding video back from a subscriber whose path cannot carry it.
extension MediaRouter {
    /// The earliest time a subscriber's estimator, probe or pause check needs the router.
    func estimationTimeout(of transport: RoutedTransport) -> UInt64? {
        transport.peer.isConnected ? transport.subscribing.nextTimeout : nil
    }

    func handleEstimationTimeout(of transport: RoutedTransport, now: UInt64, sink: some DatagramSink) {
        let leg = transport.subscribing
        leg.handleEstimatorTimeout(now: now)
        if let check = leg.nextPauseCheck, check <= now {
            leg.nextPauseCheck = now + SubscribeLeg.pauseCheckInterval
            weighVideo(of: transport, now: now, sink: sink)
        }
        sendProbe(to: transport, now: now, sink: sink)
    }

    /// Sends the packets of the current probe cluster that are due.
    private func sendProbe(to transport: RoutedTransport, now: UInt64, sink: some DatagramSink) {
        let leg = transport.subscribing
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

    /// Weighs the estimate against what the subscriber's tracks cost and pauses or resumes its
    /// video; a resumed stream restarts at a keyframe, which the publisher is asked for.
    private func weighVideo(of transport: RoutedTransport, now: UInt64, sink: some DatagramSink) {
        let leg = transport.subscribing
        var audio = 0
        var video = 0
        for subscription in leg.subscriptions {
            guard let track = tracks[subscription.track] else { continue }
            if track.description.kind == .video { video += track.bitrate(at: now) } else { audio += track.bitrate(at: now) }
        }
        leg.demand = audio + video
        let estimator = leg.estimator
        let congested = estimator.lossFraction > 0.1 || estimator.delayState == .overusing
        guard let change = leg.pausePolicy.update(
            estimate: estimator.estimate, audio: audio, video: video, congested: congested, now: now)
        else { return }
        for subscription in leg.subscriptions {
            guard let track = tracks[subscription.track], track.description.kind == .video else { continue }
            switch change {
            case .pause:
                subscription.isPaused = true
            case .resume:
                subscription.isPaused = false
                subscription.awaitsKeyframe = true
                track.lastKeyframeRequest = nil
                requestKeyframe(track, now: now, sink: sink)
            }
        }
        videoPauses &+= change == .pause ? 1 : 0
    }
}
