import Relay
/// The `c=` line (RFC 8866 §5.7). WebRTC puts a placeholder here (`IN IP4 0.0.0.0`) and the
/// real addresses in candidates, so Relay keeps it as text.
public struct SdpConnection: Equatable, Sendable {
    public var networkType: String
    public var addressType: String
    public var address: String

    public init(networkType: String = "IN", addressType: String = "IP4", address: String) {
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    /// The connection line for a transport address: `IN IP4 <ip>` or `IN IP6 <ip>`.
    public init(_ address: TransportAddress) {
        self.init(addressType: address.isIPv4 ? "IP4" : "IP6", address: address.ipString)
    }

    /// `IN IP4 0.0.0.0`, what JSEP writes when the address is carried by candidates
    /// (RFC 8829 §5.2.1).
    public static let placeholder = SdpConnection(address: "0.0.0.0")

    init?(sdpValue: Substring) {
        let fields = sdpValue.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 3 else { return nil }
        self.init(networkType: String(fields[0]), addressType: String(fields[1]), address: String(fields[2]))
    }

    var sdpValue: String { "\(networkType) \(addressType) \(address)" }
}
