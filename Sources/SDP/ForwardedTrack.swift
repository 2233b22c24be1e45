import Relay
/// A published track as subscribers are offered it: who sends it and how it is described to
/// them.
public struct ForwardedTrack: Equatable, Sendable {
    public var id: TrackID
    /// The signaling id of the participant who publishes it.
    public var owner: String
    public var kind: SdpMediaKind
    /// The codec the publisher sends with, as it described it.
    public var codec: SdpCodec
    public var cname: String
    public var streamId: String
    public var trackId: String

    public init(id: TrackID, owner: String, kind: SdpMediaKind, codec: SdpCodec, cname: String, streamId: String, trackId: String) {
        self.id = id
        self.owner = owner
        self.kind = kind
        self.codec = codec
        self.cname = cname
        self.streamId = streamId
        self.trackId = trackId
    }

    /// The codec as a subscribe connection carries it. Publishers number their payload types
    /// differently (Chrome sends Opus as 111, Firefox as 109), and every section of a bundled
    /// subscribe connection must agree on them (RFC 8843 §7.5), so the relay renumbers each
    /// codec to one fixed dynamic payload type; forwarding rewrites the header to match.
    public var outgoingCodec: SdpCodec {
        var codec = codec
        let payloadType = Self.outgoingPayloadTypes[codec.name.lowercased()] ?? codec.payloadType
        codec.payloadType = payloadType
        if codec.rtxPayloadType != nil { codec.rtxPayloadType = payloadType + 1 }
        codec.feedback = []
        // Format parameters pass from one client's SDP into another's: only the characters
        // of real parameter lists are let through.
        if let parameters = codec.formatParameters, !parameters.allSatisfy(Self.isParameterCharacter) {
            codec.formatParameters = nil
        }
        return codec
    }

    private static func isParameterCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "=;-_.,/ ".contains(character))
    }

    /// Each codec's payload type on subscribe connections, with its RTX one above it.
    static let outgoingPayloadTypes: [String: UInt8] = ["vp8": 96, "vp9": 98, "h264": 102, "av1": 45, "opus": 111]
}
