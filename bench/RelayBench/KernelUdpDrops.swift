import Foundation

/// Datagrams the kernel dropped on UDP sockets before their owner read them (a full receive
/// buffer), from /proc/net/udp: a flood the relay cannot keep up with is lost there, where no
/// counter of the relay can see it, and so is what a load generator cannot read in time.
enum KernelUdpDrops {
    /// The drops of every IPv4 UDP socket bound to `port`, or nil if /proc/net/udp is unreadable.
    static func count(port: UInt16) -> UInt64? {
        let suffix = ":" + String(format: "%04X", port)
        return sum { fields in fields[1].hasSuffix(suffix) }
    }

    /// The drops of every UDP socket (IPv4 and IPv6) that process `pid` holds open, found by
    /// the inodes of its descriptors; nil if its descriptors or /proc/net/udp are unreadable.
    static func count(ownedBy pid: Int32) -> UInt64? {
        guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { return nil }
        var inodes: Set<Substring> = []
        for descriptor in descriptors {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(descriptor)"),
                target.hasPrefix("socket:["), target.hasSuffix("]")
            else { continue }
            inodes.insert(Substring(target.dropFirst(8).dropLast()))
        }
        return sum(files: ["/proc/net/udp", "/proc/net/udp6"]) { fields in inodes.contains(fields[9]) }
    }

    /// The drops (the last field, proc(5)) of the sockets whose fields pass `matches`: sl,
    /// local_address, rem_address, st, queues, tr, retrnsmt, uid, timeout, inode, ...
    private static func sum(files: [String] = ["/proc/net/udp"], matching matches: ([Substring]) -> Bool) -> UInt64? {
        var total: UInt64 = 0
        var readAny = false
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            readAny = true
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 10, matches(fields), let drops = fields.last.flatMap({ UInt64($0) }) else { continue }
                total &+= drops
            }
        }
        return readAny ? total : nil
    }
}
