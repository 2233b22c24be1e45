import RTP

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
        releasePacedVideo(to: transport, now: now, sink: sink)
        checkLayersIfDue(of: transport, now: now, sink: sink)
        sendProbe(to: transport, now: now, sink: sink)
    }

    /// Chooses the layers of the subscriber's video again if that is due
    /// (`SubscribeLeg.nextLayerCheck`): on its timer, or on its transport-wide feedback.
    func checkLayersIfDue(of transport: RoutedTransport, now: UInt64, sink: some DatagramSink) {
        let leg = transport.subscribing
        guard let check = leg.nextLayerCheck, check <= now else { return }
        leg.nextLayerCheck = now + SubscribeLeg.layerCheckInterval
        weighVideo(of: transport, now: now, sink: sink)
    }

    /// A peer's path moved. As a subscriber: its estimate starts over
    /// (`BandwidthEstimator.pathChanged`), and each video it receives gets a keyframe, since what
    /// was sent into the gap cannot be repaired and its decoder would ask anyway, a round trip
    /// later.
    ///
    /// A publisher whose path moved is asked at once for a keyframe of every layer someone
    /// receives: its subscribers lost what it sent into the gap, and the requests they made
    /// meanwhile went to its old address. A track mirrored to other workers or linked to other
    /// nodes has subscribers there on layers this one does not know: every layer that sends.
    func pathMoved(_ transport: RoutedTransport, now: UInt64, sink: some DatagramSink) {
        for track in transport.publishing.tracks where !track.subscriptions.isEmpty || !track.mirrors.isEmpty || !track.links.isEmpty {
            let received = track.mirrors.isEmpty && track.links.isEmpty
                ? Set(track.subscriptions.compactMap { $0.targetLayer ?? $0.currentLayer })
                : Set(track.layers.indices.filter { track.layers[$0].ssrc != nil })
            for layer in received.sorted() {
                track.layers[layer].lastKeyframeRequest = nil
                requestKeyframe(track, layer: layer, now: now, sink: sink)
            }
        }
        let leg = transport.subscribing
        guard !leg.subscriptions.isEmpty else { return }
        leg.pathChanged(now: now)
        for subscription in Array(leg.subscriptions) {
            guard let track = tracks[subscription.track], let layer = subscription.targetLayer ?? subscription.currentLayer
            else { continue }
            requestKeyframe(track, layer: layer, now: now, sink: sink)
        }
    }

    /// Sends the packets of the current probe cluster that are due.
    private func sendProbe(to transport: RoutedTransport, now: UInt64, sink: some DatagramSink) {
        let leg = transport.subscribing
        guard let probe = leg.probe, probe.isDue(now: now) else { return }
        // Probes go on a video stream's retransmission stream, which the client reads the
        // extensions of and then drops (padding) or finds it already has (a copy); a transport
        // with none is not probed.
        guard let carrier = leg.subscriptions.first(where: { $0.retransmission != nil && $0.rewriter.lastMapping != nil }) else {
            leg.probe = nil
            return
        }
        let copy = probe.sendsCopies ? copySource(for: carrier, now: now) : nil
        let absSendTime = ForwardedPacket.absSendTime(at: now)
        while var probe = leg.probe, probe.isDue(now: now) {
            let extensions = ForwardedPacket.Extensions(
                transportSequenceNumber: leg.nextTransportSequenceNumber, absSendTime: absSendTime)
            let sent: Int
            if let copy {
                sent = copy.history.withPacket(sequenceNumber: copy.sequenceNumber, now: now) { stored -> Int in
                    guard let header = try? RtpHeader.parse(stored) else { return 0 }
                    return transport.peer.sendRtp(sink: sink) { buffer in
                        carrier.writeRetransmission(stored, header: header, extensions: extensions, now: now, into: buffer)
                    }
                } ?? 0
            } else {
                sent = transport.peer.sendRtp(sink: sink) { buffer in carrier.writeProbe(extensions: extensions, into: buffer) }
            }
            guard sent > 0 else {
                leg.probe = nil
                return
            }
            leg.packetSent(size: sent, now: now, probeCluster: probe.request.clusterId)
            probe.sent(size: sent)
            leg.probe = probe.isFinished ? nil : probe
            probePackets &+= 1
        }
    }

    /// The packet a probe of `subscription` copies: the largest of the last few it was sent
    /// that the track's history still holds, if larger than a padding probe.
    private func copySource(for subscription: Subscription, now: UInt64) -> (history: RetransmissionBuffer, sequenceNumber: UInt16)? {
        guard let track = tracks[subscription.track], let layer = subscription.currentLayer,
            let history = track.layers[layer].history, let last = subscription.rewriter.lastMapping?.sequenceNumber
        else { return nil }
        var best: (sequenceNumber: UInt16, size: Int)?
        for back in UInt16(0)..<4 {
            guard let source = subscription.rewriter.sourceSequenceNumber(forOutgoing: last &- back),
                let size = history.withPacket(sequenceNumber: source, now: now, { $0.count }),
                size > best?.size ?? 0
            else { continue }
            best = (source, size)
        }
        guard let best, best.size >= ProbeSchedule.paddingPacketSize else { return nil }
        return (history, best.sequenceNumber)
    }

    /// Chooses the layer of each video track the subscriber gets, from its estimate and the
    /// size of its tiles (before any feedback, from the tiles alone). A new layer is taken at
    /// its next keyframe, which the publisher is asked for.
    private func weighVideo(of transport: RoutedTransport, now: UInt64, sink: some DatagramSink) {
        let leg = transport.subscribing
        var audio = 0
        var subscriptions: [Subscription] = []
        var requests: [LayerAllocator.Request] = []
        for subscription in leg.subscriptions {
            guard let track = tracks[subscription.track] else { continue }
            guard track.description.kind == .video else {
                audio += track.bitrate(at: now)
                continue
            }
            subscriptions.append(subscription)
            requests.append(LayerAllocator.Request(
                layers: track.layers.map {
                    LayerAllocator.Layer(bitrate: $0.bitrate(at: now), width: $0.width, height: $0.height, isActive: $0.isActive(at: now))
                },
                displaySize: subscription.displaySize, current: subscription.targetLayer ?? subscription.currentLayer,
                isPaused: subscription.isPausedForBandwidth, priority: track.priority))
        }
        let forwarding = zip(subscriptions, requests).reduce(audio) { total, pair in
            total + (pair.0.currentLayer.map { pair.1.layers[$0].bitrate } ?? 0)
        }
        leg.setForwarding(forwarding, now: now)
        let estimator = leg.estimator
        let budget = leg.hasFeedback ? estimator.estimate - audio : Int.max
        let choices = LayerAllocator.allocate(budget: budget, requests: requests)
        // Probes look as far as the layers the tiles want, with the headroom a step up needs,
        // not only what is sent now.
        let wanted = requests.reduce(0) { total, request in
            guard request.displaySize?.isVisible ?? true else { return total }
            return total + (LayerAllocator.ladder(of: request).last.map { request.layers[$0].bitrate } ?? 0)
        }
        leg.want(audio + Int(Double(wanted) * LayerAllocator.upShare), now: now)
        let congested = estimator.lossFraction > 0.1 || estimator.delayState == .overusing
        let congestionLasts = leg.congestion.update(congested: congested, now: now)
        for (index, subscription) in subscriptions.enumerated() {
            guard let track = tracks[subscription.track] else { continue }
            let layers = requests[index].layers
            let isHigher = { (a: Int, b: Int) -> Bool in
                let ladder = LayerAllocator.ladder(of: LayerAllocator.Request(layers: layers))
                return (ladder.firstIndex(of: a) ?? a) > (ladder.firstIndex(of: b) ?? b)
            }
            if let change = subscription.layerPolicy.update(choices[index], congested: congested, now: now, isHigher: isHigher) {
                apply(change, to: subscription, of: track, now: now, sink: sink)
            } else if let target = subscription.targetLayer, subscription.currentLayer != target {
                // Still waiting: a publisher ignores a request that comes too soon after another
                // (a browser, within about 300 ms), and a keyframe can pass before the
                // subscriber connected. Asked again, within the per-layer throttle.
                requestKeyframe(track, layer: target, now: now, sink: sink)
            }
            subscription.temporalLayers.target = congestionLasts
                ? temporalTarget(of: subscription, track: track, layers: layers, now: now, isHigher: isHigher) : .max
        }
    }

    /// The highest temporal layer a congested subscription should get: all of them, unless the
    /// allocator keeps choosing a lower layer or a pause that the switch policy has not taken
    /// yet; then the most of the current layer's temporal layers that cost no more than that
    /// choice (the base layer at least), at once and with no keyframe, while the lower layer
    /// waits out its hysteresis. A subscriber that cannot keep up loses frame rate first, and
    /// sharpness only if that is not enough. Only under congestion that lasts (loss over 10% or
    /// a rising delay, at every check for half a second): on a path that loses packets at random,
    /// or from a machine that stalled for a moment, a dip of the estimate would cut the frame
    /// rate for nothing, and a browser counts a frame rate quartered for a second as a freeze.
    private func temporalTarget(
        of subscription: Subscription, track: PublishedTrack, layers: [LayerAllocator.Layer], now: UInt64,
        isHigher: (Int, Int) -> Bool
    ) -> UInt8 {
        guard let current = subscription.currentLayer, let pending = subscription.layerPolicy.pending else { return .max }
        let published = track.layers[current]
        guard published.temporalLayerCount > 1 else { return .max }
        let room: Int
        switch pending {
        case .layer(let lower) where isHigher(current, lower): room = layers[lower].bitrate
        case .paused: room = 0
        default: return .max
        }
        for temporal in stride(from: published.temporalLayerCount - 2, through: 1, by: -1)
        where published.bitrate(upToTemporalLayer: temporal, at: now) <= room {
            return UInt8(temporal)
        }
        return 0
    }

    private func apply(_ choice: LayerAllocator.Choice, to subscription: Subscription, of track: PublishedTrack, now: UInt64, sink: some DatagramSink) {
        let wasPaused = subscription.isPausedForBandwidth
        subscription.isPausedForBandwidth = choice == .paused
        if choice == .paused, !wasPaused { videoPauses &+= 1 }
        guard let layer = choice.layer else {
            subscription.stopLayer()
            if subscription.isPausedForBandwidth != wasPaused { reportLayer(of: subscription, track: track) }
            return
        }
        subscription.targetLayer = layer
        if wasPaused { reportLayer(of: subscription, track: track) }
        guard subscription.currentLayer != layer else { return }
        requestKeyframe(track, layer: layer, now: now, sink: sink)
    }
}
