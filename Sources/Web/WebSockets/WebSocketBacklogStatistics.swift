import Synchronization
import Vapor

/// What the `WebSocketBacklogLimiter`s of one application saw: the most bytes one socket ever
/// had waiting to be written, and how many sockets were closed for not reading. `/metrics`
/// shows both.
final class WebSocketBacklogStatistics: Sendable {
    private let peak = Atomic<Int>(0)
    private let closes = Atomic<Int>(0)

    var peakPendingBytes: Int { peak.load(ordering: .relaxed) }
    var closedSockets: Int { closes.load(ordering: .relaxed) }

    func recordPending(_ bytes: Int) {
        var current = peak.load(ordering: .relaxed)
        while bytes > current {
            let (exchanged, original) = peak.compareExchange(expected: current, desired: bytes, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    func recordClose() {
        closes.add(1, ordering: .relaxed)
    }
}

extension Application {
    private struct WebSocketBacklogKey: StorageKey {
        typealias Value = WebSocketBacklogStatistics
    }

    /// The application's one set of counters; made on first use, which is while routes are
    /// registered, before the server runs.
    var webSocketBacklog: WebSocketBacklogStatistics {
        if let statistics = storage[WebSocketBacklogKey.self] {
            return statistics
        }
        let statistics = WebSocketBacklogStatistics()
        storage[WebSocketBacklogKey.self] = statistics
        return statistics
    }
}
