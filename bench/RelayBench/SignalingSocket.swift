import Foundation

/// A blocking WebSocket client for the relay's signaling (RFC 6455), enough for a load
/// generator: one connection, text frames, the opening handshake checked.
final class SignalingSocket {
    enum Failure: Error, CustomStringConvertible {
        case connect(String)
        case handshake(String)
        case closed
        case timeout

        var description: String {
            switch self {
            case .connect(let reason): "cannot connect: \(reason)"
            case .handshake(let reason): "WebSocket handshake refused: \(reason)"
            case .closed: "the signaling socket closed"
            case .timeout: "no signaling message in time"
            }
        }
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    init(host: String, port: UInt16, path: String = "/ws") throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure.connect("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw Failure.connect("bad address \(host)") }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure.connect("errno \(errno)") }
        var noDelay: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))

        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try write(Array(request.utf8))
        let header = try readUntilBlankLine()
        guard header.hasPrefix("HTTP/1.1 101") else { throw Failure.handshake(String(header.prefix(80))) }
        let expected = WebSocketAccept.value(forKey: key)
        guard header.lowercased().contains("sec-websocket-accept: \(expected.lowercased())") else {
            throw Failure.handshake("wrong Sec-WebSocket-Accept")
        }
    }

    deinit {
        close(descriptor)
    }

    /// Sends one JSON object as a text frame, masked as a client must (RFC 6455 §5.3).
    func send(_ object: [String: Any]) throws {
        let payload = try JSONSerialization.data(withJSONObject: object)
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame.append(0x80 | 126)
            frame += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            frame += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset & 3] }
        try write(frame)
    }

    /// The next JSON object the server sent, waiting at most `timeout` seconds.
    func receive(timeout: Double = 10) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let (opcode, payload) = takeFrame() {
                switch opcode {
                case 0x1:
                    guard let object = try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] else { continue }
                    return object
                case 0x8:
                    throw Failure.closed
                default:
                    continue
                }
            }
            try fill(until: deadline)
        }
    }

    /// Waits for a message of `type`, skipping others (kept for `pending`).
    func receive(type: String, timeout: Double = 10) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let message = try receive(timeout: max(0.01, deadline.timeIntervalSinceNow))
            if message["type"] as? String == type { return message }
            if message["type"] as? String == "error" { throw Failure.handshake("server error: \(message)") }
        }
    }

    /// One whole unmasked server frame from the buffer, if there is one.
    private func takeFrame() -> (UInt8, [UInt8])? {
        guard buffer.count >= 2 else { return nil }
        let opcode = buffer[0] & 0x0F
        var length = Int(buffer[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard buffer.count >= 4 else { return nil }
            length = Int(buffer[2]) << 8 | Int(buffer[3])
            offset = 4
        } else if length == 127 {
            guard buffer.count >= 10 else { return nil }
            length = (2..<10).reduce(0) { $0 << 8 | Int(buffer[$1]) }
            offset = 10
        }
        guard buffer.count >= offset + length else { return nil }
        let payload = Array(buffer[offset..<(offset + length)])
        buffer.removeFirst(offset + length)
        return (opcode, payload)
    }

    private func fill(until deadline: Date) throws {
        var descriptor = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
        let wait = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
        guard poll(&descriptor, 1, wait) > 0 else { throw Failure.timeout }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(self.descriptor, &chunk, chunk.count, 0)
        guard count > 0 else { throw Failure.closed }
        buffer += chunk[0..<count]
    }

    private func readUntilBlankLine() throws -> String {
        let deadline = Date().addingTimeInterval(10)
        let blank: [UInt8] = [13, 10, 13, 10]
        while true {
            if let end = buffer.indices.first(where: { buffer[$0...].starts(with: blank) }) {
                let header = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 4)
                return header
            }
            try fill(until: deadline)
        }
    }

    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Failure.closed }
            sent += count
        }
    }
}
