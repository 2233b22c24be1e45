import FuzzDriver
import Congestion
import RTP

/// An RTCP compound as a client sends it: every packet type, the NACK and transport-wide
/// feedback expansions, and the feedback fed to the bandwidth estimator as the relay does.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRtcp(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let compound = try? RtcpCompound.parse(bytes) else { return 0 }
    var estimator = BandwidthEstimator()
    for number in UInt16(0)..<UInt16(64) {
        estimator.packetSent(transportSequenceNumber: number, size: 1_200, at: UInt64(number) * 1_000_000)
    }
    for packet in compound.packets {
        switch packet {
        case .genericNack(let nack):
            _ = nack.lostSequenceNumbers
        case .transportFeedback(let feedback):
            _ = feedback.receivedPackets
            estimator.handle(feedback, at: 100_000_000)
        default:
            break
        }
    }
    return 0
}

@main
enum Main {
    static func main() { runFuzzer(fuzzRtcp) }
}
