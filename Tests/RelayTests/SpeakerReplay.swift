@testable import Relay

/// Recorded audio levels replayed the way the relay turns them into a dominant speaker: every
/// 20 ms each participant's packet goes into its `AudioLevelAccumulator`, as `MediaRouter`
/// records it; every `MediaRouter.activityInterval` each accumulator's interval becomes a score
/// (`AudioActivity.score`, none for a participant without packets) and the room's
/// `DominantSpeakerDetector` is updated with them, as `RoomRegistry` does. A participant sends
/// from the time it joins until its recording ends; the replay ends with the first recording
/// to end.
struct SpeakerReplay {
    static let packetInterval: UInt64 = 20_000_000

    struct Participant {
        var name: String
        var levels: [UInt8]
        /// When its first packet comes, in nanoseconds from the start.
        var joins: UInt64

        init(_ name: String, levels: [UInt8], joiningAt joins: UInt64 = 0) {
            self.name = name
            self.levels = levels
            self.joins = joins
        }

        /// Sends the recording Fixtures/AudioLevels/`clip`.levels.
        init(_ name: String, playing clip: String, joiningAt joins: UInt64 = 0) throws {
            self.init(name, levels: try AudioLevelFixture.levels(clip), joiningAt: joins)
        }

        var end: UInt64 { joins + UInt64(levels.count) * SpeakerReplay.packetInterval }
    }

    struct Change: Equatable, CustomStringConvertible {
        var time: UInt64
        var speaker: String

        var description: String { "\(speaker) at \(Double(time) / 1e9) s" }
    }

    private(set) var detector = DominantSpeakerDetector<String>()
    /// Every change of dominant speaker, with the time of the update that made it.
    private(set) var changes: [Change] = []
    /// When the replay ended (the first recording's end), in nanoseconds from the start.
    let end: UInt64

    init(_ participants: [Participant]) {
        end = participants.map(\.end).min() ?? 0
        var accumulators = [AudioLevelAccumulator](repeating: AudioLevelAccumulator(), count: participants.count)
        var nextReport = MediaRouter.activityInterval
        var now: UInt64 = 0
        while now < end {
            while nextReport <= now {
                var scores: [String: Double] = [:]
                for index in participants.indices {
                    if let activity = accumulators[index].take(track: TrackID(UInt64(index))) {
                        scores[participants[index].name] = activity.score
                    }
                }
                if let speaker = detector.update(scores, at: nextReport) {
                    changes.append(Change(time: nextReport, speaker: speaker))
                }
                nextReport += MediaRouter.activityInterval
            }
            for (index, participant) in participants.enumerated() where now >= participant.joins {
                let packet = Int((now - participant.joins) / Self.packetInterval)
                if packet < participant.levels.count { accumulators[index].record(participant.levels[packet]) }
            }
            now += Self.packetInterval
        }
    }
}
