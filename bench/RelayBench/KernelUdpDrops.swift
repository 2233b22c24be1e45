import Foundation

/// Datagrams the kernel dropped on a UDP socket before its owner read them (a full receive
/// buffer), from /proc/net/udp: a flood the relay cannot keep up with is lost there, where no
/// counter of the relay can see it.
enum KernelUdpDrops {
    /// The drops of every IPv4 UDP socket bound to `port`, or nil if /proc/net/udp is unreadable.
    static func count(port: UInt16) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/net/udp", encoding: .utf8) else { return nil }
        let suffix = ":" + String(format: "%04X", port)
        var total: UInt64 = 0
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            // sl, local_address, rem_address, ..., drops (the last field, proc(5)).
            guard fields.count > 2, fields[1].hasSuffix(suffix), let drops = fields.last.flatMap({ UInt64($0) }) else { continue }
            total &+= drops
        }
        return total
    }
}
