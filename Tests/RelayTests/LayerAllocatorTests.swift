import Testing
@testable import Relay

@Suite struct LayerAllocatorTests {
    /// Three layers as a browser sends them from a 640x480 camera: 4×, 2× and 1× down.
    static let threeLayers = [
        LayerAllocator.Layer(bitrate: 150_000, width: 160, height: 120),
        LayerAllocator.Layer(bitrate: 500_000, width: 320, height: 240),
        LayerAllocator.Layer(bitrate: 1_500_000, width: 640, height: 480),
    ]

    static func request(current: Int? = nil, display: DisplaySize? = nil, priority: Int = 0) -> LayerAllocator.Request {
        LayerAllocator.Request(layers: threeLayers, displaySize: display, current: current, priority: priority)
    }

    @Test(arguments: [
        (10_000_000, 2), (1_800_000, 2), (1_600_000, 1), (600_000, 1), (500_000, 0), (80_000, 0), (70_000, nil),
    ] as [(Int, Int?)])
    func oneTrackGetsTheHighestLayerThatFitsWithHeadroom(budget: Int, expected: Int?) {
        let choice = LayerAllocator.allocate(budget: budget, requests: [Self.request()])
        #expect(choice == [expected.map(LayerAllocator.Choice.layer) ?? .paused])
    }

    @Test func theLayerAlreadySentIsKeptWithoutTheHeadroomAndTheLowestDownToHalfItsCost() {
        // 1.6 Mbit/s does not reach the top layer from below, but keeps it once sent.
        #expect(LayerAllocator.allocate(budget: 1_600_000, requests: [Self.request(current: 2)]) == [.layer(2)])
        #expect(LayerAllocator.allocate(budget: 1_400_000, requests: [Self.request(current: 2)]) == [.layer(1)])
        #expect(LayerAllocator.allocate(budget: 100_000, requests: [Self.request(current: 0)]) == [.layer(0)])
        #expect(LayerAllocator.allocate(budget: 70_000, requests: [Self.request(current: 0)]) == [.paused])
        // Once paused, the lowest layer comes back only when it fits with the headroom.
        var paused = Self.request()
        paused.isPaused = true
        #expect(LayerAllocator.allocate(budget: 170_000, requests: [paused]) == [.paused])
        #expect(LayerAllocator.allocate(budget: 175_000, requests: [paused]) == [.layer(0)])
    }

    @Test func twoSingleLayerVideosPauseOnlyWhenTheEstimateIsBelowHalfOfBoth() {
        // Cameras without simulcast: one layer each, 1.7 Mbit/s.
        let single = LayerAllocator.Request(layers: [LayerAllocator.Layer(bitrate: 1_700_000)], current: 0)
        #expect(LayerAllocator.allocate(budget: 1_800_000, requests: [single, single]) == [.layer(0), .layer(0)])
        #expect(LayerAllocator.allocate(budget: 1_600_000, requests: [single, single]).filter { $0 == .paused }.count == 1)
    }

    @Test func aSmallTileGetsTheLayerThatCoversItAndNoMore() {
        let small = Self.request(display: DisplaySize(width: 300, height: 225))
        let large = Self.request(display: DisplaySize(width: 1280, height: 960))
        let thumbnail = Self.request(display: DisplaySize(width: 150, height: 112))
        #expect(LayerAllocator.allocate(budget: 10_000_000, requests: [small, large, thumbnail]) == [.layer(1), .layer(2), .layer(0)])
    }

    @Test func aTileOffScreenGetsNothingWhateverTheBandwidth() {
        let hidden = Self.request(display: DisplaySize(width: 0, height: 0))
        #expect(LayerAllocator.allocate(budget: 10_000_000, requests: [hidden, Self.request()]) == [.hidden, .layer(2)])
    }

    @Test func everyoneGetsAPictureBeforeAnyoneASharpOne() {
        // 1.2 Mbit/s for two: both at the middle layer rather than one at the top.
        let choices = LayerAllocator.allocate(budget: 1_200_000, requests: [Self.request(), Self.request()])
        #expect(choices == [.layer(1), .layer(1)])
        // 200 kbit/s for three: two keep the lowest layer (down to half its cost each), the
        // third is paused.
        let tight = LayerAllocator.allocate(budget: 200_000, requests: [Self.request(), Self.request(), Self.request()])
        #expect(tight.filter { $0 == .layer(0) }.count == 2)
        #expect(tight.filter { $0 == .paused }.count == 1)
    }

    @Test func theSpeakerIsServedFirst() {
        // The speaker climbs to the top first; of the rest, the larger tile steps up first.
        let choices = LayerAllocator.allocate(
            budget: 2_300_000,
            requests: [
                Self.request(display: DisplaySize(width: 1280, height: 960)), Self.request(priority: 1),
                Self.request(display: DisplaySize(width: 700, height: 500)),
            ])
        #expect(choices == [.layer(1), .layer(2), .layer(0)])
        let paused = LayerAllocator.allocate(budget: 100_000, requests: [Self.request(), Self.request(priority: 1)])
        #expect(paused == [.paused, .layer(0)])
    }

    @Test func aLayerThePublisherStoppedIsSkipped() {
        var layers = Self.threeLayers
        layers[2].isActive = false
        let request = LayerAllocator.Request(layers: layers)
        #expect(LayerAllocator.allocate(budget: 10_000_000, requests: [request]) == [.layer(1)])
    }

    @Test func layersOfUnknownSizeAreRankedByBitrateInAnyOrder() {
        // A publisher that lists its RIDs highest first, before any keyframe told their sizes.
        let layers = [
            LayerAllocator.Layer(bitrate: 1_500_000), LayerAllocator.Layer(bitrate: 500_000), LayerAllocator.Layer(bitrate: 150_000),
        ]
        let request = LayerAllocator.Request(layers: layers, displaySize: DisplaySize(width: 100, height: 100))
        #expect(LayerAllocator.ladder(of: request) == [2, 1, 0])
        #expect(LayerAllocator.allocate(budget: 700_000, requests: [request]) == [.layer(1)])
    }
}

@Suite struct LayerSwitchPolicyTests {
    static let second: UInt64 = 1_000_000_000
    static func higher(_ a: Int, _ b: Int) -> Bool { a > b }

    @Test func aLowerLayerIsTakenAfterTwoSecondsAndAHigherOnlyAfterTheCooldown() {
        var policy = LayerSwitchPolicy(initial: .layer(2))
        #expect(policy.update(.layer(1), congested: true, now: 0, isHigher: Self.higher) == nil)
        #expect(policy.update(.layer(1), congested: false, now: Self.second, isHigher: Self.higher) == nil)
        #expect(policy.update(.layer(1), congested: false, now: 2 * Self.second, isHigher: Self.higher) == .layer(1))
        // Higher choices from 3 s on: a second of them would do, but not within 5 s of the step down.
        var now = 3 * Self.second
        var steppedUp: UInt64?
        while steppedUp == nil, now < 10 * Self.second {
            if policy.update(.layer(2), congested: false, now: now, isHigher: Self.higher) == .layer(2) { steppedUp = now }
            now += Self.second / 4
        }
        #expect(steppedUp == 7 * Self.second)
        // Without a recent step down, a second of higher choices is enough.
        var fresh = LayerSwitchPolicy(initial: .layer(0))
        #expect(fresh.update(.layer(1), congested: false, now: 0, isHigher: Self.higher) == nil)
        #expect(fresh.update(.layer(1), congested: false, now: Self.second, isHigher: Self.higher) == .layer(1))
    }

    @Test func aBriefDipOrRecoveryChangesNothing() {
        var policy = LayerSwitchPolicy(initial: .layer(1))
        #expect(policy.update(.layer(0), congested: true, now: 0, isHigher: Self.higher) == nil)
        #expect(policy.update(.layer(1), congested: false, now: Self.second / 4, isHigher: Self.higher) == nil)
        #expect(policy.update(.layer(0), congested: true, now: Self.second / 2, isHigher: Self.higher) == nil)
        #expect(policy.update(.layer(2), congested: false, now: Self.second, isHigher: Self.higher) == nil)
        #expect(policy.update(.layer(0), congested: true, now: Self.second * 3 / 2, isHigher: Self.higher) == nil)
        #expect(policy.update(.layer(1), congested: false, now: Self.second * 2, isHigher: Self.higher) == nil)
        #expect(policy.applied == .layer(1))
    }

    @Test func pausingTakesTwoSecondsWithCongestionSeenAndResumingTwoMore() {
        var policy = LayerSwitchPolicy(initial: .layer(0))
        var now: UInt64 = 0
        // An estimate still climbing, with no sign of congestion, pauses nothing.
        while now <= 3 * Self.second {
            #expect(policy.update(.paused, congested: false, now: now, isHigher: Self.higher) == nil)
            now += Self.second / 4
        }
        _ = policy.update(.layer(0), congested: false, now: now, isHigher: Self.higher)
        let start = now
        var paused: UInt64?
        while paused == nil, now < start + 4 * Self.second {
            now += Self.second / 4
            if policy.update(.paused, congested: now == start + Self.second, now: now, isHigher: Self.higher) == .paused { paused = now }
        }
        #expect(paused.map { $0 - start } == 2 * Self.second + Self.second / 4)
        #expect(policy.update(.layer(0), congested: false, now: now + Self.second, isHigher: Self.higher) == nil)
        #expect(policy.update(.layer(0), congested: false, now: now + 3 * Self.second, isHigher: Self.higher) == .layer(0))
    }

    @Test func hidingAndShowingActAtOnce() {
        var policy = LayerSwitchPolicy(initial: .layer(2))
        #expect(policy.update(.hidden, congested: false, now: 0, isHigher: Self.higher) == .hidden)
        #expect(policy.update(.layer(1), congested: false, now: 1, isHigher: Self.higher) == .layer(1))
    }
}
