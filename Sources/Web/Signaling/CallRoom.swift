import Relay

/// One room: who is in it, in join order, its options, and the mode it carries media in now.
struct CallRoom {
    /// The mode the room was created with; `auto` moves between `p2p` and `sfu`.
    let policy: CallMode
    /// The mode in use: `sfu` or `p2p`.
    var mode: CallMode
    /// The media worker that carries the room's media while it is in sfu mode.
    let worker: Int
    var order: [String] = []
    var owner: String
    let password: String?
    /// The cap its creator chose, at most the server's own.
    let maximumParticipants: Int
    var locked = false
    /// A participant could not reach the relay: the room stays direct from then on.
    var fellBackToP2P = false
    /// Drawn when the room is created: its chat history is this generation's, not the name's.
    let chatGeneration: String
    /// Who speaks, from the audio levels the relay reports (sfu only).
    var speakers = DominantSpeakerDetector<String>()

    init(
        policy: CallMode, worker: Int, owner: String, password: String?, maximumParticipants: Int,
        chatGeneration: String
    ) {
        self.policy = policy
        self.chatGeneration = chatGeneration
        mode = policy == .sfu ? .sfu : .p2p
        self.worker = worker
        self.owner = owner
        self.password = password
        self.maximumParticipants = maximumParticipants
    }

    /// Whether anyone may walk in now: what is said meanwhile outlives the room.
    var isOpen: Bool { password == nil && !locked }

    /// Whether the room can only be direct: asked for p2p, fallen back, or no relay to use.
    func isDirectOnly(relayAvailable: Bool) -> Bool {
        switch policy {
        case .p2p: true
        case .sfu: false
        case .auto: fellBackToP2P || !relayAvailable
        }
    }

    /// How many may be in the room: a direct-only room is a mesh, capped smaller.
    func capacity(_ configuration: SignalingConfiguration, relayAvailable: Bool) -> Int {
        isDirectOnly(relayAvailable: relayAvailable)
            ? min(maximumParticipants, configuration.meshMaximum) : maximumParticipants
    }

    /// The mode the room should be in with its present members: auto rooms are direct for two
    /// and relayed from three, and go back to direct at two unless configured not to.
    func preferredMode(_ configuration: SignalingConfiguration, relayAvailable: Bool) -> CallMode {
        if policy == .sfu { return .sfu }
        if isDirectOnly(relayAvailable: relayAvailable) { return .p2p }
        if order.count >= 3 { return .sfu }
        if mode == .sfu && !configuration.returnsToP2P { return .sfu }
        return .p2p
    }

    func state(_ configuration: SignalingConfiguration, relayAvailable: Bool) -> RoomState {
        RoomState(
            owner: owner, locked: locked, capacity: capacity(configuration, relayAvailable: relayAvailable),
            passwordProtected: password != nil, modePolicy: policy)
    }
}
