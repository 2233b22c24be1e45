import Relay
import RTP

/// What an SFU sends a publisher: transport-wide feedback (so its estimator sees the uplink),
/// NACKs and keyframe requests. The load generator counts them and answers NACKs from its RTX
/// stream (`BenchPublisher+Retransmission.swift`); it ignores keyframe requests.
struct RtcpCounts: Codable {
    var transportFeedback: UInt64 = 0
    /// Sequence numbers the SFU reported lost, over all NACKs.
    var nackedPackets: UInt64 = 0
    var keyframeRequests: UInt64 = 0
    /// Datagrams that failed SRTCP authentication or did not parse.
    var rejected: UInt64 = 0
    /// RTX packets sent in answer to NACKs.
    var retransmissionsSent: UInt64 = 0
}

extension BenchPublisher {
    /// Decrypts and counts one SRTCP datagram from the SFU.
    func handleRtcp(_ datagram: UnsafeMutableRawBufferPointer, now: UInt64) {
        guard DatagramKind(classifying: UnsafeRawBufferPointer(datagram)) == .rtcp, let inbound = peer.inbound else { return }
        guard let length = try? inbound.unprotectRtcp(datagram, length: datagram.count),
            let compound = try? RtcpCompound.parse(UnsafeRawBufferPointer(rebasing: datagram[0..<length]))
        else {
            rtcpReceived.rejected &+= 1
            return
        }
        for packet in compound.packets {
            switch packet {
            case .transportFeedback: rtcpReceived.transportFeedback &+= 1
            case .genericNack(let nack):
                rtcpReceived.nackedPackets &+= UInt64(nack.lostSequenceNumbers.count)
                retransmit(nack, now: now)
            case .pictureLossIndication, .fullIntraRequest: rtcpReceived.keyframeRequests &+= 1
            default: break
            }
        }
    }
}
