/// One client's signaling socket, as the room registry sees it.
public protocol SignalingConnection: AnyObject, Sendable {
    func send(_ message: ServerMessage)
}
