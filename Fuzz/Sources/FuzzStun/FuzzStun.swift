import FuzzDriver
import Relay

/// A STUN message as it reaches the relay's ICE-lite agent: the parse, the username lookup
/// that routes an unauthenticated request, and the integrity and fingerprint checks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStun(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
    _ = StunMessage.localUfrag(inRequest: bytes)
    _ = StunMessage.requestUsername(in: bytes)
    _ = try? StunMessageIntegrity.verify(bytes, key: Array("relaypasswordrelaypassword".utf8))
    _ = try? StunFingerprint.verify(bytes)
    if let message = try? StunMessage.parse(bytes) {
        _ = message.username
        _ = message.xorMappedAddress
        _ = message.priority
        _ = message.errorCode
        _ = message.unknownComprehensionRequiredTypes
        _ = message.encoded(integrityKey: [1, 2, 3], fingerprint: true)
    }
    return 0
}

@main
enum Main {
    static func main() { runFuzzer(fuzzStun) }
}
