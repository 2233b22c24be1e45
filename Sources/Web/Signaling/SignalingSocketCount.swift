import Synchronization

/// How many signaling connections exist, counted by the connections themselves as they are made
/// and freed. `/metrics` shows it: a connection that outlived its socket would show as a count
/// that never falls back.
final class SignalingSocketCount: Sendable {
    private let count = Atomic<Int>(0)

    var current: Int { count.load(ordering: .relaxed) }

    func opened() { count.add(1, ordering: .relaxed) }
    func freed() { count.subtract(1, ordering: .relaxed) }
}
