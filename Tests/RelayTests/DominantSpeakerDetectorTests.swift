import Testing
@testable import Relay

/// The dominant speaker on level sequences, one score per participant every 250 ms as the
/// router reports them: a talker scores about 0.6 (steady speech, levels around -30 dBov), a
/// silent microphone 0.
@Suite struct DominantSpeakerDetectorTests {
    static let interval: UInt64 = 250_000_000
    static let talking = 0.6

    /// Feeds `seconds` of intervals from `start`, with `scores(time)` for each; returns every
    /// change with its time.
    static func run(
        _ detector: inout DominantSpeakerDetector<String>, from start: UInt64 = 0, seconds: Double,
        scores: (UInt64) -> [String: Double]
    ) -> [(time: UInt64, speaker: String)] {
        var changes: [(UInt64, String)] = []
        var time = start
        while time < start + UInt64(seconds * 1e9) {
            if let speaker = detector.update(scores(time), at: time) { changes.append((time, speaker)) }
            time += interval
        }
        return changes
    }

    @Test func oneTalkerAmongSilentOnesIsChosenWithinASecondAndStays() {
        var detector = DominantSpeakerDetector<String>()
        let changes = Self.run(&detector, seconds: 12) { _ in ["alice": Self.talking, "bob": 0, "carol": 0] }
        #expect(changes.count == 1)
        #expect(changes.first?.speaker == "alice")
        #expect((changes.first?.time ?? .max) <= 1_000_000_000)
    }

    @Test func aCoughDoesNotTakeTheFloor() {
        var detector = DominantSpeakerDetector<String>()
        _ = Self.run(&detector, seconds: 3) { _ in ["alice": Self.talking, "bob": 0] }
        #expect(detector.dominant == "alice")
        // Bob coughs, loud, for half a second while Alice talks on, then again while she pauses.
        let cough = Self.run(&detector, from: 3_000_000_000, seconds: 4) { time in
            let bobCoughs = (3_000_000_000..<3_500_000_000).contains(time) || (5_000_000_000..<5_500_000_000).contains(time)
            let alicePauses = time >= 4_500_000_000
            return ["alice": alicePauses ? 0 : Self.talking, "bob": bobCoughs ? 0.9 : 0]
        }
        #expect(cough.isEmpty, "\(cough)")
        #expect(detector.dominant == "alice")
    }

    @Test func anotherTalkerTakesOverAfterSpeakingForASecond() {
        var detector = DominantSpeakerDetector<String>()
        _ = Self.run(&detector, seconds: 3) { _ in ["alice": Self.talking, "bob": 0] }
        // Alice stops; Bob starts at 3 s and talks on.
        let changes = Self.run(&detector, from: 3_000_000_000, seconds: 5) { _ in ["alice": 0, "bob": Self.talking] }
        #expect(changes.map(\.speaker) == ["bob"])
        let time = changes.first?.time ?? .max
        #expect(time >= 4_000_000_000 && time <= 5_000_000_000, "taken after a second of speech, not before: \(time)")
    }

    @Test func twoTalkingAtOnceDoNotFlap() {
        var detector = DominantSpeakerDetector<String>()
        // Both talk, Alice a little louder; their levels wobble from interval to interval.
        var wobble = 0
        let changes = Self.run(&detector, seconds: 15) { _ in
            wobble += 1
            return ["alice": wobble % 2 == 0 ? 0.62 : 0.5, "bob": wobble % 3 == 0 ? 0.6 : 0.45]
        }
        #expect(changes.count == 1, "\(changes)")
    }

    @Test func silenceKeepsTheLastSpeakerAndLeavingClearsIt() {
        var detector = DominantSpeakerDetector<String>()
        _ = Self.run(&detector, seconds: 2) { _ in ["alice": Self.talking] }
        let silent = Self.run(&detector, from: 2_000_000_000, seconds: 10) { _ in ["alice": 0, "bob": 0] }
        #expect(silent.isEmpty)
        #expect(detector.dominant == "alice")
        detector.remove("alice")
        #expect(detector.dominant == nil)
        let next = Self.run(&detector, from: 12_000_000_000, seconds: 2) { _ in ["bob": Self.talking] }
        #expect(next.map(\.speaker) == ["bob"])
    }
}
