import Synchronization

/// Stands in for a participant's socket while it is away (`RoomRegistry.suspend`): keeps what
/// the room says to it, in order, to hand over when it resumes. Bounded: a participant that
/// missed more than `limit` messages cannot resume and joins again instead.
final class HeldMessages: SignalingConnection {
    static let limit = 500
    private let held = Mutex<(messages: [ServerMessage], overflowed: Bool)>(([], false))

    func send(_ message: ServerMessage) {
        held.withLock { state in
            guard !state.overflowed else { return }
            guard state.messages.count < Self.limit else {
                state = ([], true)
                return
            }
            state.messages.append(message)
        }
    }

    /// What was held, or nil when more came than could be kept.
    var messages: [ServerMessage]? {
        held.withLock { $0.overflowed ? nil : $0.messages }
    }
}
