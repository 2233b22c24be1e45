import Relay
/// The `o=` line (RFC 8866 §5.2). The session id and version are kept as text: they are numeric
/// but may be as long as the sender likes, and Relay only compares and echoes them.
public struct SdpOrigin: Equatable, Sendable {
    public var username: String
    public var sessionId: String
    public var sessionVersion: String
    public var networkType: String
    public var addressType: String
    public var address: String

    public init(
        username: String = "-", sessionId: String, sessionVersion: String,
        networkType: String = "IN", addressType: String = "IP4", address: String = "127.0.0.1"
    ) {
        self.username = username
        self.sessionId = sessionId
        self.sessionVersion = sessionVersion
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    init?(sdpValue: Substring) {
        let fields = sdpValue.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 6 else { return nil }
        self.init(
            username: String(fields[0]), sessionId: String(fields[1]), sessionVersion: String(fields[2]),
            networkType: String(fields[3]), addressType: String(fields[4]), address: String(fields[5]))
    }

    var sdpValue: String {
        "\(username) \(sessionId) \(sessionVersion) \(networkType) \(addressType) \(address)"
    }
}
