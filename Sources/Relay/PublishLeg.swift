/// What the relay keeps of a transport a client publishes on: its tracks by the SSRCs their
/// packets arrive with.
final class PublishLeg {
    /// SSRCs learned from packets, beyond those signalled, that one transport may add: an
    /// unknown SSRC costs a scan of this transport's tracks only, and the table stays small.
    static let maximumLearnedSsrcs = 16

    private(set) var tracks: [PublishedTrack] = []
    private(set) var tracksBySsrc: [UInt32: PublishedTrack] = [:]
    private var learnedSsrcs = 0

    func add(_ track: PublishedTrack) {
        tracks.append(track)
        for ssrc in track.description.ssrcs { tracksBySsrc[ssrc] = track }
    }

    func remove(_ track: PublishedTrack) {
        tracks.removeAll { $0 === track }
        tracksBySsrc = tracksBySsrc.filter { $0.value !== track }
    }

    /// Routes `ssrc` to `track` from now on; false when this transport learned too many.
    func learn(ssrc: UInt32, for track: PublishedTrack) -> Bool {
        guard learnedSsrcs < Self.maximumLearnedSsrcs else { return false }
        learnedSsrcs += 1
        tracksBySsrc[ssrc] = track
        return true
    }

    /// Whether `ssrc` is one this transport's tracks signalled for retransmissions.
    func isRetransmissionSsrc(_ ssrc: UInt32) -> Bool {
        tracks.contains { $0.description.rtxSsrcs.contains(ssrc) }
    }
}
