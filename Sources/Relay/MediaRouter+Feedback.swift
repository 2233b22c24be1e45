import RTP

/// RTCP from clients: keyframe requests and NACKs from subscribers, sender reports from
/// publishers.
extension MediaRouter {
    func handleRtcp(_ bytes: UnsafeMutableRawBufferPointer, from source: TransportAddress, now: UInt64, sink: some DatagramSink) {
        guard let transport = authenticatedTransport(from: source) else { return }
        // Its estimator, probes, pacing and layer check, and a check of a new address.
        defer { noteDeadline(deadline(of: transport)) }
        let length: Int
        do {
            length = try transport.peer.unprotectRtcp(bytes)
        } catch {
            count(error)
            return
        }
        if source != transport.peer.remoteAddress { transport.peer.mediaArrived(from: source, now: now, sink: sink) }
        let compound: RtcpCompound
        do {
            compound = try RtcpCompound.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<length]))
        } catch {
            drops.count(.malformedRtcp)
            return
        }
        for packet in compound.packets {
            switch packet {
            case .pictureLossIndication(let pli):
                keyframeWanted(mediaSsrc: pli.mediaSsrc, by: transport, now: now, sink: sink)
            case .fullIntraRequest(let fir):
                for entry in fir.entries { keyframeWanted(mediaSsrc: entry.ssrc, by: transport, now: now, sink: sink) }
            case .genericNack(let nack):
                retransmit(nack, to: transport, now: now, sink: sink)
            case .transportFeedback(let feedback):
                transport.subscribing.handle(feedback, now: now)
                checkLayersIfDue(of: transport, now: now, sink: sink)
            case .senderReport(let report):
                if let layer = transport.publishing.routesBySsrc[report.ssrc]?.publishedLayer, layer.ssrc == report.ssrc {
                    layer.receiveStatistics.recordSenderReport(ntpTimestamp: report.ntpTimestamp, arrival: now)
                }
                measureRoundTrip(report.reportBlocks, of: transport, now: now)
            case .receiverReport(let report):
                measureRoundTrip(report.reportBlocks, of: transport, now: now)
            default:
                break
            }
        }
    }

    /// RFC 3550 §6.4.1: a subscriber's report block on a stream the relay sends it echoes the
    /// relay's last sender report (LSR) and how long the subscriber held it (DLSR); what is left
    /// of the time since is the round trip. Blocks on streams of another transport, or before
    /// any sender report, say nothing.
    private func measureRoundTrip(_ blocks: [RtcpReportBlock], of transport: RoutedTransport, now: UInt64) {
        let arrival = NtpTime.middle32(wallClock.ntpTimestamp(atMonotonic: now))
        for block in blocks where block.lastSenderReport != 0 {
            guard transport.subscribing.subscription(ssrc: block.ssrc) != nil else { continue }
            let units = arrival &- block.lastSenderReport &- block.delaySinceLastSenderReport
            // A negative result (clock steps, a forged block) wraps to a huge one: ignored.
            guard units < 65_536 * 10 else { continue }
            transport.subscribing.roundTripMeasured(UInt64(units) * 1_000_000_000 / 65_536)
        }
    }

    /// Resends what a subscriber reports lost, from the track's history, rewritten as when it
    /// was first forwarded, on the subscription's RTX stream when it has one; packets no longer
    /// held, or resent less than a round trip ago, are skipped; as many copies as
    /// `SubscribeLeg.retransmissionCopies` says.
    private func retransmit(_ nack: RtcpGenericNack, to subscriber: RoutedTransport, now: UInt64, sink: some DatagramSink) {
        guard let subscription = subscriber.subscribing.subscription(ssrc: nack.mediaSsrc),
            let track = tracks[subscription.track], let current = subscription.currentLayer,
            let history = track.layers[current].history
        else { return }
        let copies = subscriber.subscribing.retransmissionCopies(now: now)
        let interval = subscriber.subscribing.resendInterval
        for lost in nack.lostSequenceNumbers.prefix(Self.maximumRetransmissionsPerNack) {
            guard let source = subscription.rewriter.sourceSequenceNumber(forOutgoing: lost) else { continue }
            guard subscription.resends.mayResend(lost, now: now, interval: interval) else {
                drops.count(.retransmissionRepeated)
                continue
            }
            for copy in 0..<copies {
                guard resend(source, from: history, on: subscription, to: subscriber, now: now, sink: sink) else { break }
                if copy == 0 { subscription.resends.resent(lost, at: now) }
            }
        }
    }

    /// Sends packet `source` of `history` once more; false when it is gone or the budget is spent.
    private func resend(
        _ source: UInt16, from history: RetransmissionBuffer, on subscription: Subscription, to subscriber: RoutedTransport,
        now: UInt64, sink: some DatagramSink
    ) -> Bool {
        let sent = history.withPacket(sequenceNumber: source, now: now) { stored -> Int in
            guard subscriber.subscribing.allowRetransmission(size: stored.count, now: now) else {
                drops.count(.retransmissionBudget)
                return 0
            }
            guard let header = try? RtpHeader.parse(stored) else { return 0 }
            let extensions = ForwardedPacket.Extensions(
                transportSequenceNumber: subscriber.subscribing.nextTransportSequenceNumber,
                absSendTime: ForwardedPacket.absSendTime(at: now), audioLevel: nil)
            return subscriber.peer.sendRtp(sink: sink) { buffer in
                subscription.writeRetransmission(stored, header: header, extensions: extensions, now: now, into: buffer)
            }
        }
        guard let sent, sent > 0 else { return false }
        subscriber.subscribing.packetSent(size: sent, now: now)
        retransmittedPackets &+= 1
        return true
    }


    /// A subscriber asked for a keyframe of one of its streams: pass it to the publisher, for
    /// the layer the subscriber gets or is about to.
    private func keyframeWanted(mediaSsrc: UInt32, by subscriber: RoutedTransport, now: UInt64, sink: some DatagramSink) {
        guard let subscription = subscriber.subscribing.subscription(ssrc: mediaSsrc),
            let track = tracks[subscription.track], let layer = subscription.targetLayer ?? subscription.currentLayer
        else { return }
        requestKeyframe(track, layer: layer, now: now, sink: sink)
    }

    /// Sends a PLI upstream for one layer, at most once per `keyframeRequestInterval` per
    /// layer, however many subscribers ask: one struggling subscriber does not make the
    /// publisher send keyframes on every layer.
    func requestKeyframe(_ track: PublishedTrack, layer index: Int, now: UInt64, sink: some DatagramSink) {
        guard track.description.kind == .video, track.layers.indices.contains(index) else { return }
        let layer = track.layers[index]
        switch track.source {
        case .publisher:
            break
        case .worker(let origin):
            // A mirror's publisher is another worker's: asked through it, which coalesces the
            // requests of all its mirrors with its own.
            if let last = layer.lastKeyframeRequest, now < last + Self.keyframeRequestInterval { return }
            layer.lastKeyframeRequest = now
            upstream.append((origin, .requestKeyframe(track.description.id, layer: index)))
            return
        case .link(let link, let number):
            // Over the link, whose other end coalesces as a mirror's worker does.
            if let last = layer.lastKeyframeRequest, now < last + Self.keyframeRequestInterval { return }
            layer.lastKeyframeRequest = now
            link.requestKeyframe(of: NodeLink.stream(track: number, layer: index), sink: sink)
            return
        }
        guard let publisher = transports[track.description.transport], publisher.peer.isConnected else { return }
        guard let mediaSsrc = layer.ssrc else { return }
        if let last = layer.lastKeyframeRequest, now < last + Self.keyframeRequestInterval { return }
        layer.lastKeyframeRequest = now
        guard let pli = try? RtcpPictureLossIndication(senderSsrc: relaySsrc, mediaSsrc: mediaSsrc).bytes() else { return }
        publisher.peer.sendRtcp(pli, sink: sink)
    }
}
