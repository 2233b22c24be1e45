import FuzzDriver
import DTLS
import Relay
import SDP

/// An SDP offer as a client sends it in `publish` (and an answer in `answer`): the parse, the
/// serialisation, and the relay's publish answer with the tracks it would create.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSdp(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    guard let offer = try? SessionDescription(parsing: text) else { return 0 }
    _ = offer.serialized()
    let local = SdpLocalTransport(
        iceUfrag: "rlyU", icePwd: "relaypasswordrelaypassword",
        fingerprint: CertificateFingerprint(digest: Array(0..<32)),
        candidates: [TransportAddress.ipv4(192, 0, 2, 10, port: 40000)])
    guard let answer = try? PublishAnswerBuilder(local: local, sessionId: 1).answer(to: offer) else { return 0 }
    _ = answer.answer.serialized()
    for (index, media) in answer.media.enumerated() {
        _ = media.trackDescription(id: TrackID(UInt64(index)), transport: TransportID(1))
        _ = media.forwardedTrack(id: TrackID(UInt64(index)), owner: "fuzz")
    }
    return 0
}

@main
enum Main {
    static func main() { runFuzzer(fuzzSdp) }
}
