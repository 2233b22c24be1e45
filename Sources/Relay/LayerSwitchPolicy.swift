/// Time hysteresis over the layer `LayerAllocator` chooses for one subscription, so a dip of
/// the estimate does not blank or blur the picture and a brief recovery does not start a
/// keyframe storm. Sans-IO: it takes each choice with its time and says when to act.
///
/// A lower layer is taken once every choice for `downAfter` was lower (a delay-based estimate
/// dips for a second or two when the machines on the path are busy, with nothing lost); a
/// higher one once every
/// choice for `upAfter` was higher, and no sooner than `upCooldown` after the last step down:
/// a keyframe burst on a switch can make the estimate dip (the publisher answers a request for
/// one layer with keyframes on all), and without the cooldown a dip, a step down and the step
/// back up feed each other. Pausing takes `pauseAfter` of choices to pause during which
/// the path showed congestion (loss or a rising delay) at least once — an estimate that is
/// merely still climbing toward a path nobody probed yet pauses nothing — and resuming takes
/// `resumeAfter`. A hidden tile stops its video at once, and a tile shown again starts at once.
public struct LayerSwitchPolicy: Sendable {
    public var downAfter: UInt64 = 2_000_000_000
    public var upAfter: UInt64 = 1_000_000_000
    public var upCooldown: UInt64 = 5_000_000_000
    public var pauseAfter: UInt64 = 2_000_000_000
    public var resumeAfter: UInt64 = 2_000_000_000

    /// What the subscription gets now.
    public private(set) var applied: LayerAllocator.Choice
    /// A choice the allocator keeps making that is not taken yet.
    public private(set) var pending: LayerAllocator.Choice?
    private var pendingSince: UInt64 = 0
    private var congestionSeen = false
    private var lastStepDown: UInt64?

    public init(initial: LayerAllocator.Choice = .layer(0)) {
        applied = initial
    }

    /// The allocator's `choice` at `now`, its layers' rungs compared by `isHigher` (whether
    /// the first layer is above the second); returns the choice to apply when it changes.
    public mutating func update(
        _ choice: LayerAllocator.Choice, congested: Bool, now: UInt64, isHigher: (Int, Int) -> Bool
    ) -> LayerAllocator.Choice? {
        guard choice != applied else {
            pending = nil
            return nil
        }
        if choice == .hidden || applied == .hidden {
            return apply(choice)
        }
        let wait: UInt64
        var isStepUp = false
        switch (applied, choice) {
        case (.paused, _): wait = resumeAfter
        case (_, .paused): wait = pauseAfter
        case (.layer(let from), .layer(let to)):
            isStepUp = isHigher(to, from)
            wait = isStepUp ? upAfter : downAfter
        default: wait = 0
        }
        // A change of direction or target restarts the wait; a run of ever lower (or ever
        // higher) choices continues it and ends at the latest.
        if let pending, Self.sameDirection(pending, choice, from: applied, isHigher: isHigher) {
            self.pending = choice
        } else {
            pending = choice
            pendingSince = now
            congestionSeen = false
        }
        congestionSeen = congestionSeen || congested
        guard now - pendingSince >= wait else { return nil }
        if choice == .paused, !congestionSeen { return nil }
        if isStepUp, let lastStepDown, now - lastStepDown < upCooldown { return nil }
        if !isStepUp, case .layer = applied { lastStepDown = now }
        return apply(choice)
    }

    private mutating func apply(_ choice: LayerAllocator.Choice) -> LayerAllocator.Choice {
        applied = choice
        pending = nil
        congestionSeen = false
        return choice
    }

    private static func sameDirection(
        _ a: LayerAllocator.Choice, _ b: LayerAllocator.Choice, from applied: LayerAllocator.Choice,
        isHigher: (Int, Int) -> Bool
    ) -> Bool {
        if a == b { return true }
        guard case .layer(let current) = applied else { return false }
        switch (a, b) {
        case (.layer(let x), .layer(let y)): return isHigher(x, current) == isHigher(y, current)
        case (.layer(let x), .paused), (.paused, .layer(let x)): return !isHigher(x, current)
        default: return false
        }
    }
}
