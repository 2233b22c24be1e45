/// The publishers' clips and what the subscribers made of them, when a scenario verifies.
extension LoadRun {
    /// One 640×360 clip per publisher (by ordinal, room after room), none for audio only. A
    /// verified run gives each publisher a clip of its own, so a subscriber can tell whose
    /// frames it got; otherwise all share one.
    static func videoClips(for scenario: LoadScenario) throws -> [VideoClip] {
        guard !scenario.audioOnly else { return [] }
        let count = scenario.rooms * scenario.publishers
        func clip(_ pattern: Int) throws -> VideoClip {
            try VideoClip(width: 640, height: 360, frameRate: 30, kilobitsPerSecond: 1200, seconds: 2, pattern: pattern)
        }
        guard scenario.verify else { return Array(repeating: try clip(0), count: count) }
        return try (0..<count).map(clip)
    }

    /// Every verifier's counts summed, and the video frames expected: for each subscriber and
    /// each publisher but itself (a verified run has one room), what that publisher sent from the first keyframe
    /// the subscriber decoded of it, or all it sent if none decoded.
    static func decoded(by participants: [any BenchClient]) -> MediaVerifier.Counts {
        let publishers = participants.compactMap(\.publisher)
        var total = MediaVerifier.Counts()
        for participant in participants {
            guard let subscriber = participant.subscriber else { continue }
            var decodedFrom: [Int: UInt32] = [:]
            for verifier in subscriber.verifiers.values {
                let counts = verifier.counts
                total.videoFramesDecoded += counts.videoFramesDecoded
                total.videoDecodeErrors += counts.videoDecodeErrors
                total.videoFramesMatching += counts.videoFramesMatching
                total.videoFramesNotMatching += counts.videoFramesNotMatching
                total.audioFramesDecoded += counts.audioFramesDecoded
                total.audioDecodeErrors += counts.audioDecodeErrors
                if let publisher = verifier.publisher, let first = verifier.firstFrame { decodedFrom[publisher] = first }
            }
            for (ordinal, publisher) in publishers.enumerated() where publisher !== participant.publisher && publisher.hasVideo {
                let first = Int(decodedFrom[ordinal] ?? 1)
                total.videoFramesExpected += UInt64(max(0, publisher.videoFramesSent - first + 1))
            }
        }
        return total
    }
}
