import Relay
/// An `a=candidate` line (RFC 8839 §5.1). The fields ICE needs are typed; whatever follows the
/// candidate type (`raddr`, `generation`, `ufrag`, ...) is kept verbatim.
public struct SdpCandidate: Equatable, Sendable {
    public var foundation: String
    public var component: UInt16
    public var transport: String
    public var priority: UInt32
    public var address: String
    public var port: UInt16
    /// `host`, `srflx`, `prflx` or `relay`.
    public var type: String
    /// The extension tokens after `typ <type>`, verbatim.
    public var extensions: String?

    public init(
        foundation: String, component: UInt16, transport: String, priority: UInt32,
        address: String, port: UInt16, type: String, extensions: String? = nil
    ) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.port = port
        self.type = type
        self.extensions = extensions
    }

    /// A UDP host candidate for RTP (component 1). The priority follows RFC 8445 §5.1.2.1 with
    /// type preference 126 for host; `index` lowers the local preference so that several
    /// candidates of one relay are ordered.
    public static func host(_ address: TransportAddress, index: Int = 0) -> SdpCandidate {
        let localPreference = UInt32(65535 - min(max(index, 0), 65535))
        let priority = 126 << 24 | localPreference << 8 | (256 - 1)
        return SdpCandidate(
            foundation: String(index + 1), component: 1, transport: "udp", priority: priority,
            address: address.ipString, port: address.port, type: "host")
    }

    /// Reads the value after `a=candidate:`, or a whole `candidate:...` string as trickled.
    public init?(sdpValue: String) {
        var text = Substring(sdpValue)
        if text.hasPrefix("candidate:") { text = text.dropFirst("candidate:".count) }
        let fields = text.split(separator: " ", maxSplits: 8, omittingEmptySubsequences: true)
        guard fields.count >= 8, fields[6] == "typ",
            let component = UInt16(fields[1]), let priority = UInt32(fields[3]), let port = UInt16(fields[5])
        else { return nil }
        self.init(
            foundation: String(fields[0]), component: component, transport: String(fields[2]),
            priority: priority, address: String(fields[4]), port: port, type: String(fields[7]),
            extensions: fields.count == 9 ? String(fields[8]) : nil)
    }

    public var sdpValue: String {
        var text = "\(foundation) \(component) \(transport) \(priority) \(address) \(port) typ \(type)"
        if let extensions { text += " \(extensions)" }
        return text
    }
}
