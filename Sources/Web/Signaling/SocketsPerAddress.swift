import Synchronization

/// The signaling sockets open from each client address, bounded: one address cannot hold the
/// server's memory with thousands of idle sockets (and, since a socket joins one room at a
/// time, cannot hold more rooms than sockets either).
final class SocketsPerAddress: Sendable {
    let limit: Int
    private let open = Mutex<[String: Int]>([:])

    init(limit: Int) {
        self.limit = limit
    }

    /// Whether `address` may open one more.
    func hasRoom(for address: String) -> Bool {
        open.withLock { ($0[address] ?? 0) < limit }
    }

    func opened(_ address: String) {
        open.withLock { $0[address, default: 0] += 1 }
    }

    func closed(_ address: String) {
        open.withLock { counts in
            let remaining = (counts[address] ?? 1) - 1
            counts[address] = remaining > 0 ? remaining : nil
        }
    }
}
