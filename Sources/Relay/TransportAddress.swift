/// An IP address and UDP port: where a datagram came from or goes to. A value type that hashes
/// cheaply, so the socket loop can route datagrams by source address.
public struct TransportAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Host: Hashable, Sendable, Codable {
        /// An IPv4 address in host byte order.
        case v4(UInt32)
        /// An IPv6 address as its 16 bytes in network order, split in two halves.
        case v6(UInt64, UInt64)
    }

    public var host: Host
    public var port: UInt16

    public init(host: Host, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// An IPv4 address from its four octets.
    public static func ipv4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, port: UInt16) -> TransportAddress {
        TransportAddress(host: .v4(UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)), port: port)
    }

    /// Parses a dotted IPv4 address or a colon-separated IPv6 address (no zone).
    public init?(ip: String, port: UInt16) {
        if let v4 = Self.parseIPv4(ip) {
            self.init(host: .v4(v4), port: port)
        } else if let v6 = Self.parseIPv6(ip) {
            self.init(host: .v6(v6.0, v6.1), port: port)
        } else {
            return nil
        }
    }

    public var isIPv4: Bool {
        if case .v4 = host { return true }
        return false
    }

    /// The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
    public var addressBytes: [UInt8] {
        switch host {
        case .v4(let value):
            return (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) }
        case .v6(let high, let low):
            return (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
                + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
        }
    }

    /// The address from its bytes in network order (4 or 16 of them).
    public init?(addressBytes bytes: some Collection<UInt8>, port: UInt16) {
        let array = Array(bytes)
        switch array.count {
        case 4:
            self.init(host: .v4(array.reduce(0) { $0 << 8 | UInt32($1) }), port: port)
        case 16:
            let high = array[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = array[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            self.init(host: .v6(high, low), port: port)
        default:
            return nil
        }
    }

    /// The address without the port, as SDP and ICE candidates write it.
    public var ipString: String {
        switch host {
        case .v4:
            return addressBytes.map(String.init).joined(separator: ".")
        case .v6:
            let bytes = addressBytes
            return stride(from: 0, to: 16, by: 2)
                .map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
                .joined(separator: ":")
        }
    }

    public var description: String {
        isIPv4 ? "\(ipString):\(port)" : "[\(ipString)]:\(port)"
    }

    private static func parseIPv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    private static func parseIPv6(_ text: String) -> (UInt64, UInt64)? {
        guard text.contains(":") else { return nil }
        var halves = [Substring(text)]
        if let gap = text.firstRange(of: "::") {
            halves = [text[..<gap.lowerBound], text[gap.upperBound...]]
            guard halves[1].firstRange(of: "::") == nil else { return nil }
        }
        func groups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        let high = all[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = all[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        return (high, low)
    }
}
