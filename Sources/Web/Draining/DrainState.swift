import Foundation
import Synchronization

/// Whether the server is draining (SIGTERM, `relay drain`): it takes no new rooms, has told its
/// participants, and exits once its rooms are empty or its deadline passes. Read without waiting
/// by `/healthz`, so a load balancer stops sending new users.
public final class DrainState: Sendable {
    private let deadline = Mutex<Date?>(nil)

    public init() {}

    /// When the server will exit at the latest; nil while it serves normally.
    public var until: Date? { deadline.withLock { $0 } }

    public var isDraining: Bool { until != nil }

    /// Starts draining until `date`; false (and no change) if it already is.
    func begin(until date: Date) -> Bool {
        deadline.withLock { current in
            guard current == nil else { return false }
            current = date
            return true
        }
    }
}
