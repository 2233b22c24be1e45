import FuzzDriver
import DTLS
import Relay

/// What arrives on the media port from anyone: a router with one transport waiting for its
/// client takes each input as a series of datagrams (the first byte of each chunk picks one of
/// four source addresses, the next two its length), through the RFC 7983 demultiplexer into
/// STUN, DTLS (OpenSSL's record layer of a server endpoint), SRTP and SRTCP; nothing may trap.
final class DiscardingSink: DatagramSink {
    func send(to address: TransportAddress, _ write: (UnsafeMutableRawBufferPointer) -> Int) {
        var buffer = [UInt8](repeating: 0, count: 1_500)
        _ = buffer.withUnsafeMutableBytes { write($0) }
    }
}

nonisolated(unsafe) let router: MediaRouter = {
    guard let certificate = try? DtlsCertificate.generate(commonName: "fuzz"),
        let context = try? DtlsContext(role: .server, certificate: certificate),
        let local = IceCredentials(ufrag: "rlyU", pwd: "relaypasswordrelaypassword"),
        let remote = IceCredentials(ufrag: "peer", pwd: "peerpasswordpeerpassword")
    else { fatalError("the fuzz router cannot be set up") }
    let router = MediaRouter(dtlsContext: context) { _ in }
    router.execute(
        .openTransport(
            TransportSetup(
                id: TransportID(1), localCredentials: local, remoteCredentials: remote,
                remoteFingerprint: certificate.fingerprint)),
        now: 0, sink: DiscardingSink())
    return router
}()
nonisolated(unsafe) var clock: UInt64 = 1_000_000_000
nonisolated(unsafe) let sink = DiscardingSink()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDatagrams(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var offset = 0
    while offset + 3 <= size {
        let source = TransportAddress.ipv4(10, 0, 0, 1 + data[offset] % 4, port: 5000)
        let length = min(Int(data[offset + 1]) << 8 | Int(data[offset + 2]), size - offset - 3)
        var datagram = Array(UnsafeBufferPointer(start: data + offset + 3, count: length))
        datagram.withUnsafeMutableBytes { router.handleDatagram($0, from: source, now: clock, sink: sink) }
        offset += 3 + length
        clock += 1_000_000
        if let deadline = router.nextTimeout, deadline <= clock { router.handleTimeout(now: clock, sink: sink) }
    }
    return 0
}

@main
enum Main {
    static func main() { runFuzzer(fuzzDatagrams) }
}
