import Relay
/// An `a=extmap` line: an RTP header extension and the id it is sent under (RFC 8285 §8).
public struct SdpHeaderExtension: Equatable, Sendable {
    public var id: UInt16
    /// The optional direction after the id (`a=extmap:9/sendonly ...`).
    public var direction: SdpDirection?
    public var uri: String
    /// Extension attributes after the URI, verbatim.
    public var extensionAttributes: String?

    public init(id: UInt16, direction: SdpDirection? = nil, uri: String, extensionAttributes: String? = nil) {
        self.id = id
        self.direction = direction
        self.uri = uri
        self.extensionAttributes = extensionAttributes
    }

    public static let mid = "urn:ietf:params:rtp-hdrext:sdes:mid"
    public static let rtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
    public static let repairedRtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"
    public static let absSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
    public static let transportWideCc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
    public static let audioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"

    /// Reads `<id>[/<direction>] <uri> [<attributes>]`. Ids 1-14 fit the one-byte form and
    /// 1-255 the two-byte form; 4096-4351 are for negotiation only (RFC 8285 §5, §6).
    public init?(sdpValue: String) {
        let parts = sdpValue.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2 else { return nil }
        let idAndDirection = parts[0].split(separator: "/", omittingEmptySubsequences: false)
        guard idAndDirection.count <= 2, let id = UInt16(idAndDirection[0]),
            (1...255).contains(id) || (4096...4351).contains(id)
        else { return nil }
        var direction: SdpDirection?
        if idAndDirection.count == 2 {
            guard let parsed = SdpDirection(rawValue: String(idAndDirection[1])) else { return nil }
            direction = parsed
        }
        self.init(
            id: id, direction: direction, uri: String(parts[1]),
            extensionAttributes: parts.count == 3 ? String(parts[2]) : nil)
    }

    public var sdpValue: String {
        var text = String(id)
        if let direction { text += "/\(direction.rawValue)" }
        text += " \(uri)"
        if let extensionAttributes { text += " \(extensionAttributes)" }
        return text
    }
}
