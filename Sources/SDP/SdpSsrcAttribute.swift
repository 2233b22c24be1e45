import Relay
/// An `a=ssrc` line: a source-level attribute such as `cname` or `msid` (RFC 5576 §4.1).
public struct SdpSsrcAttribute: Equatable, Sendable {
    public var ssrc: UInt32
    public var attribute: String
    public var value: String?

    public init(ssrc: UInt32, attribute: String, value: String? = nil) {
        self.ssrc = ssrc
        self.attribute = attribute
        self.value = value
    }

    /// Reads `<ssrc> <attribute>[:<value>]`.
    public init?(sdpValue: String) {
        let parts = sdpValue.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, let ssrc = UInt32(parts[0]) else { return nil }
        let source = SdpAttribute(text: parts[1])
        guard !source.name.isEmpty else { return nil }
        self.init(ssrc: ssrc, attribute: source.name, value: source.value)
    }

    public var sdpValue: String {
        if let value { "\(ssrc) \(attribute):\(value)" } else { "\(ssrc) \(attribute)" }
    }
}
