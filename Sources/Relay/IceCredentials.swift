/// An ICE username fragment and password (RFC 8839 §5.4).
public struct IceCredentials: Equatable, Hashable, Sendable {
    public var ufrag: String
    public var pwd: String

    public init(ufrag: String, pwd: String) {
        self.ufrag = ufrag
        self.pwd = pwd
    }

    /// Fresh credentials: 8 and 24 characters of the ice-char set, above the minimum 4 and 22,
    /// from the system's secure generator.
    public static func random() -> IceCredentials {
        var generator = SystemRandomNumberGenerator()
        return IceCredentials(ufrag: randomString(8, using: &generator), pwd: randomString(24, using: &generator))
    }

    private static let iceCharacters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    private static func randomString(_ length: Int, using generator: inout some RandomNumberGenerator) -> String {
        String((0..<length).map { _ in iceCharacters[Int.random(in: 0..<iceCharacters.count, using: &generator)] })
    }
}
