/// An ICE username fragment and password (RFC 8445 §5.3), as `a=ice-ufrag` and `a=ice-pwd` carry
/// them. The password keys MESSAGE-INTEGRITY of the checks sent to the side that owns it.
public struct IceCredentials: Hashable, Sendable, Codable {
    public let ufrag: String
    public let pwd: String

    /// The ice-char set of RFC 8839 §5.4: ALPHA / DIGIT / "+" / "/".
    static let iceChars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// Credentials as the peer's SDP gives them; nil unless both are 4 (ufrag) or 22 (pwd) to 256
    /// ice-chars (RFC 8839 §5.4).
    public init?(ufrag: String, pwd: String) {
        guard Self.isValid(ufrag, minimumLength: 4), Self.isValid(pwd, minimumLength: 22) else { return nil }
        self.ufrag = ufrag
        self.pwd = pwd
    }

    /// Fresh local credentials from a cryptographically secure generator: 8 ufrag characters
    /// and 24 password characters, 48 and 144 bits, above the RFC's minimums of 24 and 128.
    public static func random() -> IceCredentials {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    public static func random(using generator: inout some RandomNumberGenerator) -> IceCredentials {
        func draw(_ count: Int) -> String {
            String((0..<count).map { _ in iceChars[Int.random(in: 0..<iceChars.count, using: &generator)] })
        }
        return IceCredentials(unchecked: draw(8), pwd: draw(24))
    }

    /// Decoded credentials obey RFC 8839 §5.4 as parsed ones do.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let ufrag = try container.decode(String.self, forKey: .ufrag)
        let pwd = try container.decode(String.self, forKey: .pwd)
        guard let credentials = IceCredentials(ufrag: ufrag, pwd: pwd) else {
            throw DecodingError.dataCorruptedError(forKey: .pwd, in: container, debugDescription: "not RFC 8839 ICE credentials")
        }
        self = credentials
    }

    private init(unchecked ufrag: String, pwd: String) {
        self.ufrag = ufrag
        self.pwd = pwd
    }

    private static func isValid(_ text: String, minimumLength: Int) -> Bool {
        (minimumLength...256).contains(text.count) && text.allSatisfy { iceChars.contains($0) }
    }
}
