import RTP

/// The RTP path: a publisher's packet is decrypted in place, recorded, and written once for
/// each subscription of its track.
extension MediaRouter {
    func handleRtp(
        _ bytes: UnsafeMutableRawBufferPointer, from source: TransportAddress, now: UInt64, arrival: UInt64,
        sink: some DatagramSink
    ) {
        guard let publisher = authenticatedTransport(from: source) else { return }
        // Its feedback and NACK timers, and a check of a new address it sends from.
        defer { noteDeadline(deadline(of: publisher)) }
        let length: Int
        do {
            length = try publisher.peer.unprotectRtp(bytes)
        } catch {
            count(error)
            return
        }
        if source != publisher.peer.remoteAddress { publisher.peer.mediaArrived(from: source, now: now, sink: sink) }
        let packet = UnsafeRawBufferPointer(rebasing: bytes[0..<length])
        let header: RtpHeader
        do {
            header = try RtpHeader.parse(packet)
        } catch {
            drops.count(.malformedRtp)
            return
        }
        publisher.publishing.recordArrival(of: packet, header: header, at: arrival)
        guard let route = route(of: header, packet: packet, on: publisher.publishing) else {
            if let route = publisher.publishing.retransmissionRoutesBySsrc[header.ssrc] {
                repair(UnsafeMutableRawBufferPointer(rebasing: bytes[0..<length]), header: header, of: route, now: now, arrival: arrival, sink: sink)
            } else {
                drops.count(.unknownSsrc)
            }
            return
        }
        let track = route.track
        let layer = route.publishedLayer
        if track.packetsReceived == 0 { onEvent(.trackStarted(track.description.id)) }
        track.packetsReceived &+= 1
        guard header.ssrc == layer.ssrc else {
            drops.count(.nonPrimarySsrc)
            return
        }
        layer.receiveStatistics.record(sequenceNumber: header.sequenceNumber, timestamp: header.timestamp, arrival: arrival)
        layer.nacks?.received(header.sequenceNumber, now: now)
        layer.recordArrival(size: length, now: now)
        // A packet too old to keep is still forwarded; it just cannot be repaired later.
        try? layer.storeInHistory(sequenceNumber: header.sequenceNumber, bytes: packet, now: now)
        forward(packet, header: header, of: route, now: now, arrival: arrival, sink: sink)
    }

    /// A packet on a layer's retransmission stream (RFC 4588 §4): padding the publisher probes
    /// with, a copy of a packet the relay holds, or a packet it missed, which is restored in
    /// place to the original and forwarded late, filling the gap for every subscriber.
    private func repair(
        _ packet: UnsafeMutableRawBufferPointer, header: RtpHeader, of route: PublishLeg.Route, now: UInt64, arrival: UInt64,
        sink: some DatagramSink
    ) {
        let payload = header.payloadRange
        let layer = route.publishedLayer
        guard payload.count > 2, let mediaSsrc = layer.ssrc else {
            drops.count(.publisherPadding)
            return
        }
        let original = UInt16(packet[payload.lowerBound]) << 8 | UInt16(packet[payload.lowerBound + 1])
        guard !layer.holds(original, now: now) else {
            drops.count(.publisherRetransmission)
            return
        }
        // Move the payload (and any padding) over the two bytes of the original sequence number.
        let tail = UnsafeRawBufferPointer(rebasing: packet[(payload.lowerBound + 2)...])
        UnsafeMutableRawBufferPointer(rebasing: packet[payload.lowerBound..<(packet.count - 2)]).copyMemory(from: tail)
        let restored = UnsafeMutableRawBufferPointer(rebasing: packet[0..<(packet.count - 2)])
        RtpHeader.rewrite(
            restored, payloadType: route.track.description.payloadType, sequenceNumber: original, timestamp: header.timestamp,
            ssrc: mediaSsrc)
        guard let restoredHeader = try? RtpHeader.parse(UnsafeRawBufferPointer(restored)) else {
            drops.count(.malformedRtp)
            return
        }
        repairedPackets &+= 1
        layer.nacks?.received(original, now: now)
        try? layer.storeInHistory(sequenceNumber: original, bytes: UnsafeRawBufferPointer(restored), now: now)
        forward(UnsafeRawBufferPointer(restored), header: restoredHeader, of: route, now: now, arrival: arrival, sink: sink)
    }

    /// A packet of a mirrored track, from the pipe of the worker it is published on: recorded
    /// and forwarded as a publisher's packet is here (`handleRtp`), decrypted and checked there.
    public func handleMirrored(
        _ packet: UnsafeRawBufferPointer, track id: TrackID, layer index: Int, now: UInt64, arrival: UInt64,
        sink: some DatagramSink
    ) {
        guard let track = tracks[id], case .worker = track.source, track.layers.indices.contains(index) else {
            drops.count(.mirroredTrackGone)
            return
        }
        forwardRelayed(packet, of: track, layer: index, now: now, arrival: arrival, sink: sink)
    }

    /// A packet of a track published on another worker or node, checked there: recorded and
    /// forwarded as a publisher's packet is here.
    func forwardRelayed(
        _ packet: UnsafeRawBufferPointer, of track: PublishedTrack, layer index: Int, now: UInt64, arrival: UInt64,
        sink: some DatagramSink
    ) {
        guard let header = try? RtpHeader.parse(packet) else {
            drops.count(.malformedRtp)
            return
        }
        let layer = track.layers[index]
        if layer.ssrc == nil { layer.ssrc = header.ssrc }
        track.packetsReceived &+= 1
        layer.recordArrival(size: packet.count, now: now)
        try? layer.storeInHistory(sequenceNumber: header.sequenceNumber, bytes: packet, now: now)
        forward(packet, header: header, of: PublishLeg.Route(track: track, layer: index), now: now, arrival: arrival, sink: sink)
    }

    /// The layer an RTP packet belongs to: by SSRC, or for an SSRC not in the SDP (simulcast,
    /// or none signalled) by the mid header extension (RFC 8843 §15) and the RID one (RFC 8852
    /// §3). A new retransmission stream, named by the repaired-RID extension or signalled, is
    /// learned and reported as nil, like every retransmission.
    private func route(of header: RtpHeader, packet: UnsafeRawBufferPointer, on leg: PublishLeg) -> PublishLeg.Route? {
        if let route = leg.routesBySsrc[header.ssrc] { return route }
        guard leg.retransmissionRoutesBySsrc[header.ssrc] == nil else { return nil }
        let extensions = header.extensions(in: packet)
        for track in leg.tracks {
            guard let extensionID = track.description.midExtensionID,
                let range = extensions.element(id: extensionID),
                packet[range].elementsEqual(track.description.mid.utf8)
            else { continue }
            if track.description.rtxSsrcs.contains(header.ssrc) { return nil }
            guard !track.description.rids.isEmpty else {
                guard leg.learn(ssrc: header.ssrc, for: PublishLeg.Route(track: track, layer: 0), retransmission: false) else { return nil }
                if track.layers[0].ssrc == nil { track.layers[0].ssrc = header.ssrc }
                return PublishLeg.Route(track: track, layer: 0)
            }
            if let id = track.description.repairedRidExtensionID, let range = extensions.element(id: id) {
                if let index = track.layerIndex(rid: UnsafeRawBufferPointer(rebasing: packet[range])) {
                    _ = leg.learn(ssrc: header.ssrc, for: PublishLeg.Route(track: track, layer: index), retransmission: true)
                }
                return nil
            }
            guard let id = track.description.ridExtensionID, let range = extensions.element(id: id),
                let index = track.layerIndex(rid: UnsafeRawBufferPointer(rebasing: packet[range])),
                track.layers[index].ssrc == nil
            else { return nil }
            let route = PublishLeg.Route(track: track, layer: index)
            guard leg.learn(ssrc: header.ssrc, for: route, retransmission: false) else { return nil }
            track.layers[index].ssrc = header.ssrc
            return route
        }
        return nil
    }

    /// Writes the packet for every connected subscriber of its track that receives its layer.
    /// Video waits in the subscriber's `PacedQueue` when it would leave faster than the pacing
    /// rate, or behind video already waiting; audio never waits.
    private func forward(
        _ packet: UnsafeRawBufferPointer, header: RtpHeader, of route: PublishLeg.Route, now: UInt64, arrival: UInt64,
        sink: some DatagramSink
    ) {
        let track = route.track
        for pipe in track.mirrors where !pipe.push(packet, track: track.description.id, layer: route.layer, arrival: arrival) {
            drops.count(.mirrorPipeFull)
        }
        for link in track.links {
            let stream = NodeLink.stream(track: link.number, layer: route.layer)
            if !link.link.send(packet, stream: stream, arrival: arrival, now: now, sink: sink) { drops.count(.linkPacketTooLarge) }
        }
        let audioLevel = track.audioLevel(in: packet, header: header)
        if let audioLevel, track.isFromPublisher { track.levels.record(audioLevel) }
        let isVideo = track.description.kind == .video
        // Read once per packet: it also tells the layer its picture size. Any audio packet
        // can start a stream.
        let marks = isVideo ? track.marks(of: packet, header: header, layer: route.publishedLayer) : .anyStart
        if let temporalLayer = marks.temporalLayer {
            route.publishedLayer.recordTemporal(size: packet.count, temporalLayer: temporalLayer, now: now)
        }
        let absSendTime = ForwardedPacket.absSendTime(at: now)
        for subscription in track.subscriptions {
            let subscriber = subscription.subscriber
            guard subscriber.peer.isConnected else { continue }
            guard subscription.currentLayer == route.layer || subscription.targetLayer == route.layer else {
                if subscription.isPausedForBandwidth { drops.count(.videoPaused) }
                continue
            }
            let leg = subscriber.subscribing
            // What waits goes first, as far as the budget allows: the worker may be busy
            // reading datagrams for a while before its timers run.
            if isVideo, !leg.pacedQueue.isEmpty { releasePacedVideo(to: subscriber, now: now, sink: sink) }
            if isVideo, !leg.videoMayGo(now: now) {
                let waiting = PacedPacket(
                    subscription: subscription, header: header, layer: route.layer, marks: marks,
                    received: now, arrival: arrival)
                if leg.pacedQueue.push(waiting, bytes: packet) {
                    pacedPackets &+= 1
                } else {
                    drops.count(.pacingQueueFull)
                }
                noteDeadline(leg.pacingDeadline)
                continue
            }
            deliver(packet, header: header, layer: route.layer, marks: marks, audioLevel: audioLevel,
                    to: subscription, of: subscriber, leg: leg, received: now, now: now, absSendTime: absSendTime,
                    sink: sink)
            if isVideo { noteDeadline(leg.pacingDeadline) }
        }
    }

    /// Sends the video waiting for `transport`'s pacing budget that the budget now allows.
    func releasePacedVideo(to transport: RoutedTransport, now: UInt64, sink: some DatagramSink) {
        let leg = transport.subscribing
        while leg.pacedVideoMayGo(now: now) {
            leg.pacedQueue.popFirst { waiting, packet in
                let subscription = waiting.subscription
                // A subscription ended while its packet waited.
                guard leg.subscription(ssrc: subscription.ssrc) === subscription, transport.peer.isConnected else { return }
                guard subscription.currentLayer == waiting.layer || subscription.targetLayer == waiting.layer else { return }
                // The wait is the subscriber's path's, as a network queue would have held the
                // packet: timed apart from the relay's own hold.
                let wait = now > waiting.received ? now - waiting.received : 0
                pacingWaits.record(wait)
                deliver(packet, header: waiting.header, layer: waiting.layer, marks: waiting.marks,
                        audioLevel: nil, to: subscription, of: transport, leg: leg, received: waiting.received, now: now,
                        absSendTime: ForwardedPacket.absSendTime(at: now), origin: waiting.arrival &+ wait, sink: sink)
            }
        }
    }

    /// Writes one packet of the layer for a subscription. A subscription moves to the layer it
    /// targets at that layer's first keyframe, so the stream it sends never depends on a picture
    /// it did not send. The packet counts as forwarded only once it was queued for sending.
    /// `received` is when the router got it, `now` when it leaves, `origin` when it reached the
    /// machine, moved later by its wait, if it waited for the pacing budget. `subscriber` and `leg` are the subscription's
    /// transport and its subscribe leg, as the caller already holds them.
    private func deliver(
        _ packet: UnsafeRawBufferPointer, header: RtpHeader, layer: Int, marks: PacketMarks, audioLevel: UInt8?,
        to subscription: Subscription, of subscriber: RoutedTransport, leg: SubscribeLeg, received: UInt64, now: UInt64,
        absSendTime: UInt32, origin: UInt64? = nil, sink: some DatagramSink
    ) {
        if subscription.currentLayer != layer {
            guard subscription.targetLayer == layer else { return }
            guard marks.startsKeyframe else {
                if subscription.currentLayer == nil { drops.count(.awaitingKeyframe) }
                return
            }
            // The stream goes on from the last packet sent, with no gap to NACK.
            if subscription.currentLayer != nil { layerSwitches &+= 1 }
            subscription.switchLayer(to: layer, ssrc: header.ssrc)
            if let track = tracks[subscription.track] { reportLayer(of: subscription, track: track) }
        }
        guard subscription.temporalLayers.admits(marks) else {
            subscription.skip(packet, header: header)
            drops.count(.temporalLayer)
            return
        }
        let extensions = ForwardedPacket.Extensions(
            transportSequenceNumber: leg.nextTransportSequenceNumber,
            absSendTime: absSendTime, audioLevel: audioLevel)
        var refused = false
        let sent = subscriber.peer.sendRtp(sink: sink, origin: origin) { buffer in
            let length = subscription.write(packet, header: header, extensions: extensions, now: received, into: buffer)
            refused = length == 0
            return length
        }
        guard sent > 0 else {
            drops.count(refused ? .rewriteRefused : .sendFailed)
            return
        }
        // The first packet since the subscriber's feedback starts the estimator's wait for more.
        noteDeadline(leg.packetSent(size: sent, now: now))
        subscription.packetsSent &+= 1
        subscription.octetsSent &+= UInt64(header.payloadRange.count)
        forwardedPackets &+= 1
    }

    /// Tells signaling which layer a subscriber now gets of a video track, or that its video
    /// is paused.
    func reportLayer(of subscription: Subscription, track: PublishedTrack) {
        guard track.description.kind == .video else { return }
        let layer = subscription.currentLayer.map { track.layers[$0] }
        onEvent(.layerChanged(LayerChange(
            track: track.description.id, subscriber: subscription.subscriber.id, rid: layer?.rid,
            width: layer?.width ?? 0, height: layer?.height ?? 0, paused: subscription.isPausedForBandwidth)))
    }
}
