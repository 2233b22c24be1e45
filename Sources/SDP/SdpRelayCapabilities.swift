import Relay
/// The codecs, header extensions and RTCP feedback the relay can forward. It never transcodes,
/// so it accepts whatever of these the publisher offers and rewrites nothing in the payload.
public struct SdpRelayCapabilities: Equatable, Sendable {
    /// Audio encoding names, lowercased.
    public var audioCodecs: Set<String>
    /// Video encoding names, lowercased.
    public var videoCodecs: Set<String>
    public var headerExtensions: Set<String>
    /// rtcp-fb values the relay acts on (RFC 4585 §4.2, RFC 5104 §7.1).
    public var feedback: Set<String>

    public init(audioCodecs: Set<String>, videoCodecs: Set<String>, headerExtensions: Set<String>, feedback: Set<String>) {
        self.audioCodecs = audioCodecs
        self.videoCodecs = videoCodecs
        self.headerExtensions = headerExtensions
        self.feedback = feedback
    }

    public static let standard = SdpRelayCapabilities(
        audioCodecs: ["opus"],
        videoCodecs: ["vp8", "vp9", "h264", "av1"],
        headerExtensions: [
            SdpHeaderExtension.mid, SdpHeaderExtension.rtpStreamId, SdpHeaderExtension.repairedRtpStreamId,
            SdpHeaderExtension.transportWideCc, SdpHeaderExtension.absSendTime, SdpHeaderExtension.audioLevel,
        ],
        feedback: ["nack", "nack pli", "ccm fir", "transport-cc", "goog-remb"])

    /// Whether the relay can forward `codec` in a section of `kind`. H.264 must use
    /// packetization mode 1: the relay reads FU-A and STAP-A to find keyframes, which mode 0
    /// does not use (RFC 6184 §6.2, §8.1).
    public func supports(_ codec: SdpCodec, kind: SdpMediaKind) -> Bool {
        let name = codec.name.lowercased()
        switch kind {
        case .audio:
            return audioCodecs.contains(name)
        case .video:
            guard videoCodecs.contains(name) else { return false }
            return name != "h264" || codec.parameters["packetization-mode"] == "1"
        case .application, .other:
            return false
        }
    }
}
