import Testing
@testable import Relay

/// The dominant speaker on the audio levels Chromium sent for generated microphone signals, 20 s
/// each (Fixtures/AudioLevels, recorded by Tests/e2e/record_audio_levels.py), replayed as the
/// relay sees them (`SpeakerReplay`): `talker` speech-like phrases with pauses, `silent` a muted
/// microphone, `room` an open one in a quiet room, `cough` that room with two loud coughs at 7 s
/// and 13 s, `background` a fan at -55 dBFS.
@Suite struct RecordedSpeakerLevelsTests {
    static let second: UInt64 = 1_000_000_000

    /// What the other tests rely on, so that a new recording cannot make them pass vacuously.
    @Test func theRecordingsHoldWhatTheirClipsSay() throws {
        let talker = try AudioLevelFixture.levels("talker")
        #expect(talker.filter { $0 <= 40 }.count > talker.count / 2, "mostly speech")
        #expect(talker.filter { $0 >= 75 }.count > talker.count / 10, "with pauses")
        let silent = try AudioLevelFixture.levels("silent")
        #expect(silent.allSatisfy { $0 == 127 })
        let room = try AudioLevelFixture.levels("room")
        #expect(room.allSatisfy { $0 > AudioLevelAccumulator.speechLevel })
        // The seconds of the cough's loud packets.
        let cough = try AudioLevelFixture.levels("cough")
        let loud = cough.indices.filter { cough[$0] <= 40 }.map { Double($0) / 50 }
        #expect(loud.contains { (7...7.5).contains($0) } && loud.contains { (13...13.5).contains($0) }, "\(loud)")
        #expect(loud.allSatisfy { (7...7.5).contains($0) || (13...13.5).contains($0) }, "\(loud)")
    }

    @Test func oneTalkerAmongQuietMicrophonesIsChosenWithinTwoSecondsAndStays() throws {
        let replay = try SpeakerReplay([
            .init("alice", playing: "talker"), .init("bob", playing: "silent"), .init("carol", playing: "room"),
            .init("dave", playing: "background"),
        ])
        #expect(replay.changes.map(\.speaker) == ["alice"], "\(replay.changes)")
        let chosen = try #require(replay.changes.first).time
        #expect(chosen <= 2 * Self.second, "\(replay.changes)")
        #expect(replay.end >= chosen + 10 * Self.second, "too short a recording to see the choice stay")
    }

    /// As recorded, the coughs come at the end of one of Alice's pauses and while she talks;
    /// 0.6 s earlier, both come in her pauses (6.2 to 7.2 s and 12.1 to 12.7 s).
    @Test(arguments: [0, 30])
    func aCoughDoesNotTakeTheFloorFromTheTalker(skippingPackets skipped: Int) throws {
        let cough = Array(try AudioLevelFixture.levels("cough").dropFirst(skipped))
        let replay = try SpeakerReplay([
            .init("alice", playing: "talker"), .init("erin", levels: cough), .init("bob", playing: "silent"),
        ])
        #expect(replay.changes.map(\.speaker) == ["alice"], "\(replay.changes)")
    }

    @Test func withNobodyTalkingNoOneIsChosen() throws {
        let replay = try SpeakerReplay([
            .init("bob", playing: "silent"), .init("carol", playing: "room"), .init("erin", playing: "cough"),
        ])
        #expect(replay.changes.isEmpty, "\(replay.changes)")
        #expect(replay.detector.dominant == nil)
    }

    /// Chromium sends the fan at levels 54 to 61, at or under `AudioLevelAccumulator.speechLevel`
    /// (60) in nearly every packet, as loud as quiet speech; but it never stands out from its floor.
    @Test func aFanIsNotASpeaker() throws {
        let replay = try SpeakerReplay([.init("bob", playing: "silent"), .init("dave", playing: "background")])
        #expect(replay.changes.isEmpty, "\(replay.changes)")
    }

    /// Alice joins a room where a fan has been on for 3 s.
    @Test func aTalkerTakesTheFloorFromAFan() throws {
        let replay = try SpeakerReplay([
            .init("dave", playing: "background"), .init("alice", playing: "talker", joiningAt: 3 * Self.second),
        ])
        #expect(replay.changes.map(\.speaker) == ["alice"], "\(replay.changes)")
        let alice = replay.changes.first { $0.speaker == "alice" }?.time ?? .max
        #expect(alice <= 5 * Self.second, "\(replay.changes)")
    }
}
