import Foundation

/// Reads the relay's `/metrics` (async-http-client, blocking for the generator's threads).
enum MetricsReader {
    /// Every sample, keyed by its name with labels as written (`name{label="x"}`); nil when
    /// `/metrics` cannot be read.
    static func snapshot(host: String, port: UInt16) -> [String: Double]? {
        guard let body = try? HttpJson.fetch(url: "http://\(host):\(port)/metrics", timeout: 10) else { return nil }
        var samples: [String: Double] = [:]
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
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
