internal import COpenSSL
import Foundation

/// The Sec-WebSocket-Accept value a server must answer a key with (RFC 6455 §4.2.2).
enum WebSocketAccept {
    static func value(forKey key: String) -> String {
        let input = Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8)
        var digest = [UInt8](repeating: 0, count: 20)
        _ = SHA1(input, input.count, &digest)
        return Data(digest).base64EncodedString()
    }
}
