import Relay

/// A room as the admin page shows it, at one moment.
public struct LiveRoom: Sendable, Equatable {
    public var name: String
    /// How it carries media now (`sfu` or `p2p`), and what it was created as.
    public var mode: CallMode
    public var policy: CallMode
    public var locked: Bool
    public var participants: [LiveParticipant]
}

/// One participant of a live room.
public struct LiveParticipant: Sendable, Equatable {
    public var id: String
    public var name: String
    /// Whether its signaling socket is open; false while it is held for its page to resume.
    public var isOnline: Bool
    /// Sfu: whether its publish and subscribe connections to the relay are up (nil: not made
    /// yet, or a direct room).
    public var publishConnected: Bool?
    public var subscribeConnected: Bool?
    /// Sfu: what the relay knows of the path to it, once it sent feedback.
    public var estimate: SubscriberEstimate?
    /// Sfu: the layer it gets of each other participant's camera, by their name.
    public var layers: [(name: String, layer: LiveLayer)]

    public static func == (lhs: LiveParticipant, rhs: LiveParticipant) -> Bool {
        lhs.id == rhs.id && lhs.name == rhs.name && lhs.isOnline == rhs.isOnline
            && lhs.publishConnected == rhs.publishConnected && lhs.subscribeConnected == rhs.subscribeConnected
            && lhs.estimate == rhs.estimate && lhs.layers.map(\.name) == rhs.layers.map(\.name)
            && lhs.layers.map(\.layer) == rhs.layers.map(\.layer)
    }
}

/// A simulcast layer a subscriber gets, as the relay last reported it.
public struct LiveLayer: Sendable, Equatable {
    public var rid: String?
    public var width: Int
    public var height: Int
    public var paused: Bool
}
