/// Which layer of a video track a subscriber gets now, as signaling tells its page.
public struct LayerChange: Sendable, Equatable, Codable {
    public var track: TrackID
    /// The subscriber's transport.
    public var subscriber: TransportID
    /// The layer's RID; nil without simulcast, or while no layer is sent.
    public var rid: String?
    /// The layer's picture size when the relay read it from a keyframe; 0 when unknown.
    public var width: Int
    public var height: Int
    /// The subscriber's estimate cannot carry even the lowest layer: its video is held back.
    public var paused: Bool

    public init(track: TrackID, subscriber: TransportID, rid: String?, width: Int, height: Int, paused: Bool) {
        self.track = track
        self.subscriber = subscriber
        self.rid = rid
        self.width = width
        self.height = height
        self.paused = paused
    }
}
