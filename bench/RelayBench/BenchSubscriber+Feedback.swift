import RTP

/// Transport-wide feedback from a subscriber, as a browser sends it: the arrival of every packet
/// that carried the SFU's transport-wide sequence number (media, retransmission, probe),
/// reported every 50 ms (`TransportFeedbackRecorder`'s interval) in reduced-size SRTCP.
extension BenchSubscriber {
    func recordTransportSequence(_ packet: UnsafeRawBufferPointer, header: RtpHeader, now: UInt64) {
        guard let id = transportSequenceNumberExtensionId, feedback != nil,
            let range = header.extensions(in: packet).element(id: id), range.count >= 2
        else { return }
        if feedback?.mediaSsrc == 0 { feedback?.setMediaSsrc(header.ssrc) }
        feedback?.record(sequenceNumber: UInt16(packet[range.lowerBound]) << 8 | UInt16(packet[range.lowerBound + 1]), arrival: now)
    }

    /// When feedback is next due; nil while there is nothing to report.
    var nextFeedback: UInt64? { feedback?.nextTimeout }

    /// Sends every feedback packet due at `now`, each in its own SRTCP datagram.
    func sendFeedback(now: UInt64) {
        guard let due = feedback?.nextTimeout, due <= now, let outbound = peer.outbound else { return }
        while let packet = feedback?.pollFeedback(now: now) {
            let length = rtcpBuffer.withUnsafeMutableBytes { buffer -> Int in
                guard let written = try? RtcpPacket.transportFeedback(packet).write(into: buffer) else { return 0 }
                return (try? outbound.protectRtcp(buffer, length: written)) ?? 0
            }
            guard length > 0 else { continue }
            peer.send(Array(rtcpBuffer[0..<length]))
            feedbackSent &+= 1
        }
    }
}
