import RTP

/// RTCP is terminated per hop (RFC 3550 §6.4): each publisher hears receiver reports about the
/// streams it sends the relay, each subscriber sender reports about the streams the relay sends
/// it.
extension MediaRouter {
    func sendReports(now: UInt64, sink: some DatagramSink) {
        let ntp = wallClock.ntpTimestamp(atMonotonic: now)
        for transport in transports.values where transport.peer.isConnected {
            var packets: [RtcpPacket] = []
            for subscription in transport.subscribing.subscriptions.sorted(by: { $0.ssrc < $1.ssrc }) where subscription.packetsSent > 0 {
                guard let timestamp = subscription.rewriter.timestamp(at: now) else { continue }
                packets.append(.senderReport(RtcpSenderReport(
                    ssrc: subscription.ssrc, ntpTimestamp: ntp, rtpTimestamp: timestamp,
                    packetCount: UInt32(truncatingIfNeeded: subscription.packetsSent),
                    octetCount: UInt32(truncatingIfNeeded: subscription.octetsSent))))
            }
            var blocks: [RtcpReportBlock] = []
            var interval: (expected: Int64, lost: Int64) = (0, 0)
            for track in transport.publishing.tracks {
                for layer in track.layers where layer.receiveStatistics.packetsReceived > 0 {
                    guard let ssrc = layer.ssrc else { continue }
                    blocks.append(layer.receiveStatistics.reportBlock(ssrc: ssrc, now: now))
                    interval.expected += layer.receiveStatistics.lastInterval.expected
                    interval.lost += layer.receiveStatistics.lastInterval.lost
                }
            }
            if interval.expected > 0 {
                transport.publishing.lossReported(lost: Int(interval.lost), expected: Int(interval.expected), now: now)
            }
            // A report carries at most 31 blocks (RFC 3550 §6.4.2).
            while !blocks.isEmpty {
                let chunk = Array(blocks.prefix(31))
                blocks.removeFirst(chunk.count)
                packets.append(.receiverReport(RtcpReceiverReport(ssrc: relaySsrc, reportBlocks: chunk)))
            }
            send(packets, on: transport, sink: sink)
        }
    }

    /// Sends `packets` in as many compounds as it takes to keep each within one datagram.
    func send(_ packets: [RtcpPacket], on transport: RoutedTransport, sink: some DatagramSink) {
        var compound: [RtcpPacket] = []
        var size = 0
        for packet in packets {
            if size + packet.marshalSize > Self.maximumReportSize, !compound.isEmpty {
                sendCompound(compound, on: transport, sink: sink)
                compound.removeAll()
                size = 0
            }
            compound.append(packet)
            size += packet.marshalSize
        }
        if !compound.isEmpty { sendCompound(compound, on: transport, sink: sink) }
    }

    private func sendCompound(_ packets: [RtcpPacket], on transport: RoutedTransport, sink: some DatagramSink) {
        guard let bytes = try? RtcpCompound(packets: packets).bytes() else { return }
        transport.peer.sendRtcp(bytes, sink: sink)
    }
}
