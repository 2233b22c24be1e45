import RTP

/// A video packet as first sent, kept to answer NACKs.
struct SentVideo {
    var sequenceNumber: UInt16
    var timestamp: UInt32
    var marker: Bool
    var payload: [UInt8]
    var sentAt: UInt64
    var frame: UInt32
}

/// Answers an SFU's NACKs as a browser does: each packet still held goes again on the RTX stream
/// (RFC 4588 §4: the RTX SSRC, payload type and sequence number, the original sequence number
/// before the payload), with a new transport-wide sequence number and the original send time in
/// the padding, so latency counts the repair.
extension BenchPublisher {
    func retransmit(_ nack: RtcpGenericNack, now: UInt64) {
        guard nack.mediaSsrc == videoSsrc else { return }
        for lost in nack.lostSequenceNumbers {
            guard let sent = sentVideo[Int(lost) % sentVideo.count], sent.sequenceNumber == lost else { continue }
            send(
                [UInt8(lost >> 8), UInt8(lost & 0xFF)] + sent.payload, payloadType: BenchSdp.vp8PayloadType + 1, ssrc: rtxSsrc,
                sequence: &rtxSequence, timestamp: sent.timestamp, marker: sent.marker, mid: "1", now: now, sentAt: sent.sentAt,
                frame: sent.frame)
        }
        flush()
    }
}
