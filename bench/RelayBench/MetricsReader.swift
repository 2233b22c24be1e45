import Foundation

/// Reads the relay's `/metrics` with one blocking HTTP/1.0 request.
enum MetricsReader {
    /// Every sample, keyed by its name with labels as written (`name{label="x"}`).
    static func snapshot(host: String, port: UInt16) -> [String: Double]? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET /metrics HTTP/1.0\r\nHost: \(host)\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return nil }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            guard count > 0 else { break }
            response += chunk[0..<count]
        }
        var samples: [String: Double] = [:]
        for line in String(decoding: response, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    static func value(of name: String, host: String, port: UInt16) -> Double? {
        snapshot(host: host, port: port)?[name]
    }
}

extension Dictionary where Key == String, Value == Double {
    /// The samples of metric `name`, whatever their labels.
    func samples(of name: String) -> [Double] {
        compactMap { $0.key == name || $0.key.hasPrefix(name + "{") ? $0.value : nil }
    }
}
