import RTP

/// The RTP path: a publisher's packet is decrypted in place, recorded, and written once for
/// each subscription of its track.
extension MediaRouter {
    func handleRtp(
        _ bytes: UnsafeMutableRawBufferPointer, from source: TransportAddress, now: UInt64, arrival: UInt64,
        sink: some DatagramSink
    ) {
        guard let publisher = authenticatedTransport(from: source) else { return }
        let length: Int
        do {
            length = try publisher.peer.unprotectRtp(bytes)
        } catch {
            count(error)
            return
        }
        let packet = UnsafeRawBufferPointer(rebasing: bytes[0..<length])
        let header: RtpHeader
        do {
            header = try RtpHeader.parse(packet)
        } catch {
            drops.count(.malformedRtp)
            return
        }
        publisher.publishing.recordArrival(of: packet, header: header, at: arrival)
        guard let track = track(of: header, packet: packet, on: publisher.publishing) else {
            if let track = publisher.publishing.tracksByRetransmissionSsrc[header.ssrc] {
                repair(UnsafeMutableRawBufferPointer(rebasing: bytes[0..<length]), header: header, of: track, now: now, sink: sink)
            } else {
                drops.count(.unknownSsrc)
            }
            return
        }
        if track.packetsReceived == 0 { onEvent(.trackStarted(track.description.id)) }
        track.packetsReceived &+= 1
        guard header.ssrc == track.mediaSsrc else {
            drops.count(.nonPrimarySsrc)
            return
        }
        track.receiveStatistics.record(sequenceNumber: header.sequenceNumber, timestamp: header.timestamp, arrival: arrival)
        track.nacks?.received(header.sequenceNumber, now: now)
        track.recordRate(size: length, now: now)
        // A packet too old to keep is still forwarded; it just cannot be repaired later.
        try? track.storeInHistory(sequenceNumber: header.sequenceNumber, bytes: packet, now: now)
        forward(packet, header: header, of: track, now: now, sink: sink)
    }

    /// A packet on a track's retransmission stream (RFC 4588 §4): padding the publisher probes
    /// with, a copy of a packet the relay holds, or a packet it missed, which is restored in
    /// place to the original and forwarded late, filling the gap for every subscriber.
    private func repair(_ packet: UnsafeMutableRawBufferPointer, header: RtpHeader, of track: PublishedTrack, now: UInt64, sink: some DatagramSink) {
        let payload = header.payloadRange
        guard payload.count > 2, let mediaSsrc = track.mediaSsrc else {
            drops.count(.publisherPadding)
            return
        }
        let original = UInt16(packet[payload.lowerBound]) << 8 | UInt16(packet[payload.lowerBound + 1])
        guard !track.holds(original, now: now) else {
            drops.count(.publisherRetransmission)
            return
        }
        // Move the payload (and any padding) over the two bytes of the original sequence number.
        let tail = UnsafeRawBufferPointer(rebasing: packet[(payload.lowerBound + 2)...])
        UnsafeMutableRawBufferPointer(rebasing: packet[payload.lowerBound..<(packet.count - 2)]).copyMemory(from: tail)
        let restored = UnsafeMutableRawBufferPointer(rebasing: packet[0..<(packet.count - 2)])
        RtpHeader.rewrite(
            restored, payloadType: track.description.payloadType, sequenceNumber: original, timestamp: header.timestamp,
            ssrc: mediaSsrc)
        guard let restoredHeader = try? RtpHeader.parse(UnsafeRawBufferPointer(restored)) else {
            drops.count(.malformedRtp)
            return
        }
        repairedPackets &+= 1
        track.nacks?.received(original, now: now)
        try? track.storeInHistory(sequenceNumber: original, bytes: UnsafeRawBufferPointer(restored), now: now)
        forward(UnsafeRawBufferPointer(restored), header: restoredHeader, of: track, now: now, sink: sink)
    }

    /// The track an RTP packet belongs to: by SSRC, or for an SSRC not in the SDP (simulcast,
    /// or none signalled) by the mid header extension (RFC 8843 §15).
    private func track(of header: RtpHeader, packet: UnsafeRawBufferPointer, on leg: PublishLeg) -> PublishedTrack? {
        if let track = leg.tracksBySsrc[header.ssrc] { return track }
        for track in leg.tracks {
            guard let extensionID = track.description.midExtensionID,
                let range = header.extensions(in: packet).element(id: extensionID),
                packet[range].elementsEqual(track.description.mid.utf8)
            else { continue }
            if track.description.rtxSsrcs.contains(header.ssrc) { return nil }
            guard leg.learn(ssrc: header.ssrc, for: track) else { return nil }
            if track.mediaSsrc == nil { track.mediaSsrc = header.ssrc }
            return track
        }
        return nil
    }

    /// Writes the packet for every connected subscriber of `track`. A subscriber counts as
    /// forwarded to only once its packet was queued for sending.
    private func forward(_ packet: UnsafeRawBufferPointer, header: RtpHeader, of track: PublishedTrack, now: UInt64, sink: some DatagramSink) {
        let audioLevel = track.audioLevel(in: packet, header: header)
        if let audioLevel { track.levels.record(audioLevel) }
        let absSendTime = ForwardedPacket.absSendTime(at: now)
        for subscription in track.subscriptions {
            let subscriber = subscription.subscriber
            guard subscriber.peer.isConnected else { continue }
            guard !subscription.isPaused else {
                drops.count(.videoPaused)
                continue
            }
            if subscription.awaitsKeyframe {
                guard track.startsKeyframe(packet, header: header) else {
                    drops.count(.awaitingKeyframe)
                    continue
                }
                // The stream goes on from the last packet sent, with no gap to NACK.
                subscription.awaitsKeyframe = false
                subscription.rewriter.switchSource(to: header.ssrc)
            }
            let extensions = ForwardedPacket.Extensions(
                transportSequenceNumber: subscriber.subscribing.nextTransportSequenceNumber,
                absSendTime: absSendTime, audioLevel: audioLevel)
            var refused = false
            let sent = subscriber.peer.sendRtp(sink: sink) { buffer in
                let length = subscription.write(packet, header: header, extensions: extensions, now: now, into: buffer)
                refused = length == 0
                return length
            }
            guard sent > 0 else {
                drops.count(refused ? .rewriteRefused : .sendFailed)
                continue
            }
            subscriber.subscribing.packetSent(size: sent, now: now)
            subscription.packetsSent &+= 1
            subscription.octetsSent &+= UInt64(header.payloadRange.count)
            forwardedPackets &+= 1
        }
    }
}
