import FuzzDriver
import RTP

/// An RTP packet as a publisher's datagram carries it once decrypted: the header, every header
/// extension element (one- and two-byte forms, RFC 8285), and the whole packet parse.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRtp(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if let header = try? RtpHeader.parse(bytes) {
        for element in header.extensions(in: bytes) {
            precondition(element.range.lowerBound >= 0 && element.range.upperBound <= size)
        }
        precondition(header.payloadRange.upperBound <= size)
    }
    _ = try? RtpPacket(parsing: Array(bytes))
    return 0
}

@main
enum Main {
    static func main() { runFuzzer(fuzzRtp) }
}
