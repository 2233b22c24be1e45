import Relay
/// An `a=msid` value: the MediaStream id and the track id (RFC 8830 §2).
public struct SdpMsid: Equatable, Sendable {
    public var streamId: String
    public var trackId: String?

    public init(streamId: String, trackId: String? = nil) {
        self.streamId = streamId
        self.trackId = trackId
    }

    public init?(sdpValue: String) {
        let parts = sdpValue.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        self.init(streamId: String(parts[0]), trackId: parts.count == 2 ? String(parts[1]) : nil)
    }

    public var sdpValue: String {
        if let trackId { "\(streamId) \(trackId)" } else { streamId }
    }
}
