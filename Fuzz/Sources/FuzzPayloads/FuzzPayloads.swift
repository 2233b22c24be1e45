import FuzzDriver
import RTP

/// The payload readers the relay runs on forwarded media to find keyframes and layers: the
/// VP8 and VP9 payload descriptors, H.264 (single NAL, STAP-A, FU-A), the AV1 aggregation
/// header and the Opus TOC. The first byte picks the reader (the last two share one), so one
/// corpus covers them all.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPayloads(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let payload = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    switch data[0] % 4 {
    case 0:
        _ = try? Vp8PayloadDescriptor.isKeyframe(payload)
    case 1:
        if let descriptor = try? Vp9PayloadDescriptor.parse(payload) {
            _ = descriptor.startsKeyframe
            for layer in 0..<4 { _ = descriptor.scalabilityStructure?.resolution(ofSpatialLayer: layer, in: payload) }
        }
    case 2:
        if let nal = try? H264Payload.parse(payload) { _ = nal.isKeyframe }
    default:
        _ = try? OpusToc.parse(payload)
        _ = try? Av1AggregationHeader.parse(payload).startsKeyframe
    }
    return 0
}

@main
enum Main {
    static func main() { runFuzzer(fuzzPayloads) }
}
