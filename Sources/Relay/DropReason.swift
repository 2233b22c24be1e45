/// Why the relay dropped a datagram. Every drop is counted under one of these, and the counts
/// are exported, so an operator can tell an attack from a misconfiguration.
public enum DropReason: Int, CaseIterable, Sendable {
    case truncatedDatagram
    case oversizedDatagram
    case unknownKind
    case unknownSource
    /// STUN from an address no transport validated whose USERNAME names no transport.
    case unauthenticatedStun
    /// STUN that reached a transport but does not parse or has no valid FINGERPRINT.
    case malformedStun
    /// A STUN request that reached a transport (its USERNAME named one, or it came from a
    /// validated address) without valid credentials: no MESSAGE-INTEGRITY, the wrong remote
    /// ufrag, or an integrity that fails under the transport's password. Answered 400 or 401.
    case stunBadCredentials
    /// STUN a transport does not act on although it is well formed: responses, indications,
    /// other methods, requests with unknown required attributes or a role conflict, checks from
    /// more addresses than a transport accepts.
    case stunRefused
    case dtlsBeforeIce
    case dtlsFailure
    case srtpBeforeDtls
    case srtpAuthenticationFailed
    case srtpReplayed
    case malformedRtp
    case malformedRtcp
    case unknownSsrc
    /// Retransmissions a publisher sent of packets the relay already holds (browsers also
    /// probe with such copies).
    case publisherRetransmission
    /// Padding-only packets a publisher probes with; their transport-wide sequence numbers are
    /// still reported in the relay's feedback.
    case publisherPadding
    /// Packets of a track's other SSRCs than the one forwarded (simulcast layers not chosen).
    case nonPrimarySsrc
    /// A subscription's rewriter refused the packet: another source than the one it forwards,
    /// or older than where its forwarding started.
    case rewriteRefused
    /// A packet could not be protected or queued, or the kernel refused to send it.
    case sendFailed
    /// A retransmission a subscriber asked for beyond its budget.
    case retransmissionBudget
    /// A retransmission asked for again within a round trip of the last (`ResendGuard`).
    case retransmissionRepeated
    /// Video held back from a subscriber whose path cannot carry it.
    case videoPaused
    /// Video after a pause, before the keyframe it restarts at.
    case awaitingKeyframe
    /// Video a subscriber's pacing queue had no room for (`PacedQueue.capacity` packets
    /// waiting).
    case pacingQueueFull
    /// Video of a temporal layer above the ones a subscriber gets now (its sequence numbers
    /// and picture IDs are closed up).
    case temporalLayer
    /// A packet of a track mirrored to another worker that the pipe there had no room for
    /// (`WorkerPipe`): that worker's subscribers miss it, and their decoders ask for a keyframe.
    case mirrorPipeFull
    /// A packet through a pipe for a mirrored track no longer here (its last subscriber on this
    /// worker left while the packet was on its way).
    case mirroredTrackGone
    /// A packet of a track sent over a relay link that is too large to fit in a link packet.
    case linkPacketTooLarge
    /// A datagram from a relay link's address that does not authenticate under its keys, or is
    /// no link packet.
    case linkRefused
    /// A link packet of a stream this worker does not hold (its track ended here meanwhile).
    case linkedTrackGone

    /// The label used in metrics.
    public var label: String {
        switch self {
        case .truncatedDatagram: "truncated_datagram"
        case .oversizedDatagram: "oversized_datagram"
        case .unknownKind: "unknown_kind"
        case .unknownSource: "unknown_source"
        case .unauthenticatedStun: "unauthenticated_stun"
        case .malformedStun: "malformed_stun"
        case .stunBadCredentials: "stun_bad_credentials"
        case .stunRefused: "stun_refused"
        case .dtlsBeforeIce: "dtls_before_ice"
        case .dtlsFailure: "dtls_failure"
        case .srtpBeforeDtls: "srtp_before_dtls"
        case .srtpAuthenticationFailed: "srtp_authentication_failed"
        case .srtpReplayed: "srtp_replayed"
        case .malformedRtp: "malformed_rtp"
        case .malformedRtcp: "malformed_rtcp"
        case .unknownSsrc: "unknown_ssrc"
        case .publisherRetransmission: "publisher_retransmission"
        case .publisherPadding: "publisher_padding"
        case .nonPrimarySsrc: "non_primary_ssrc"
        case .rewriteRefused: "rewrite_refused"
        case .sendFailed: "send_failed"
        case .retransmissionBudget: "retransmission_budget"
        case .retransmissionRepeated: "retransmission_repeated"
        case .videoPaused: "video_paused"
        case .awaitingKeyframe: "awaiting_keyframe"
        case .pacingQueueFull: "pacing_queue_full"
        case .temporalLayer: "temporal_layer"
        case .mirrorPipeFull: "mirror_pipe_full"
        case .mirroredTrackGone: "mirrored_track_gone"
        case .linkPacketTooLarge: "link_packet_too_large"
        case .linkRefused: "link_refused"
        case .linkedTrackGone: "linked_track_gone"
        }
    }
}

/// Counts of dropped datagrams by reason: a fixed array, so counting costs one increment.
public struct DropCounters: Sendable, Equatable {
    private var counts = [UInt64](repeating: 0, count: DropReason.allCases.count)

    public init() {}

    public mutating func count(_ reason: DropReason, times: Int = 1) {
        counts[reason.rawValue] &+= UInt64(max(times, 0))
    }

    public subscript(reason: DropReason) -> UInt64 {
        counts[reason.rawValue]
    }

    public var total: UInt64 { counts.reduce(0, &+) }

    public static func + (lhs: DropCounters, rhs: DropCounters) -> DropCounters {
        var sum = DropCounters()
        for index in sum.counts.indices { sum.counts[index] = lhs.counts[index] &+ rhs.counts[index] }
        return sum
    }
}
