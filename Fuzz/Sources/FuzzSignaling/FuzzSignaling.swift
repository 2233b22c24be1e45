import FuzzDriver
import SignalingMessages

/// A text frame on the signaling socket `/ws`, decoded as the server decodes every frame from
/// anyone who opens it: JSON, then each message type's fields and their bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSignaling(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? ClientMessage.decode(text)
    return 0
}

@main
enum Main {
    static func main() { runFuzzer(fuzzSignaling) }
}
