import Testing
@testable import Relay

@Suite struct VideoPausePolicyTests {
    static let second: UInt64 = 1_000_000_000

    /// Feeds the same figures every 100 ms from `start` for `duration` and returns the changes.
    static func run(
        _ policy: inout VideoPausePolicy, estimate: Int, audio: Int = 50_000, video: Int = 1_000_000,
        congested: Bool = true, from start: UInt64, for duration: UInt64
    ) -> [(UInt64, VideoPausePolicy.Change)] {
        var changes: [(UInt64, VideoPausePolicy.Change)] = []
        var now = start
        while now < start + duration {
            if let change = policy.update(estimate: estimate, audio: audio, video: video, congested: congested, now: now) {
                changes.append((now, change))
            }
            now += second / 10
        }
        return changes
    }

    @Test func aPathThatCarriesTheVideoNeverPauses() {
        var policy = VideoPausePolicy()
        #expect(Self.run(&policy, estimate: 800_000, from: 0, for: 30 * Self.second).isEmpty)
        #expect(!policy.isPaused)
    }

    @Test func aPathFarTooThinPausesAfterTwoSecondsAndResumesWhenItRecovers() {
        var policy = VideoPausePolicy()
        let paused = Self.run(&policy, estimate: 300_000, from: 0, for: 5 * Self.second)
        #expect(paused.count == 1)
        #expect(paused.first?.1 == .pause)
        #expect(paused.first?.0 == 2 * Self.second)
        #expect(policy.isPaused)

        // Enough for half the video is not enough to resume; more than all of it is.
        #expect(Self.run(&policy, estimate: 900_000, from: 5 * Self.second, for: 5 * Self.second).isEmpty)
        let resumed = Self.run(&policy, estimate: 1_200_000, from: 10 * Self.second, for: 5 * Self.second)
        #expect(resumed.map(\.1) == [.resume])
        #expect(resumed.first?.0 == 12 * Self.second)
    }

    @Test func aDipShorterThanTheHoldDoesNotPause() {
        var policy = VideoPausePolicy()
        _ = Self.run(&policy, estimate: 300_000, from: 0, for: Self.second + Self.second / 2)
        #expect(Self.run(&policy, estimate: 900_000, from: 2 * Self.second, for: Self.second).isEmpty)
        #expect(Self.run(&policy, estimate: 300_000, from: 3 * Self.second, for: Self.second + Self.second / 2).isEmpty)
        #expect(!policy.isPaused, "each dip starts its own two seconds")
    }

    @Test func noVideoToSendEndsAPause() {
        var policy = VideoPausePolicy()
        _ = Self.run(&policy, estimate: 100_000, from: 0, for: 3 * Self.second)
        #expect(policy.isPaused)
        #expect(policy.update(estimate: 100_000, audio: 50_000, video: 0, congested: false, now: 4 * Self.second) == .resume)
    }

    @Test func anEstimateStillClimbingWithoutCongestionPausesNothing() {
        var policy = VideoPausePolicy()
        #expect(Self.run(&policy, estimate: 300_000, congested: false, from: 0, for: 10 * Self.second).isEmpty)
        #expect(!policy.isPaused)
    }
}
