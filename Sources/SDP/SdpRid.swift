import Relay
/// An `a=rid` line: one RTP stream of a media section, named by its RID, with optional
/// restrictions such as `pt=96;max-width=640` (RFC 8851 §4).
public struct SdpRid: Equatable, Sendable {
    public enum Direction: String, Sendable {
        case send
        case recv
    }

    public var id: String
    public var direction: Direction
    /// The restrictions after the direction, verbatim.
    public var restrictions: String?

    public init(id: String, direction: Direction, restrictions: String? = nil) {
        self.id = id
        self.direction = direction
        self.restrictions = restrictions
    }

    public init?(sdpValue: String) {
        let parts = sdpValue.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, Self.isValidId(parts[0]),
            let direction = Direction(rawValue: String(parts[1]))
        else { return nil }
        self.init(id: String(parts[0]), direction: direction, restrictions: parts.count == 3 ? String(parts[2]) : nil)
    }

    public var sdpValue: String {
        var text = "\(id) \(direction.rawValue)"
        if let restrictions { text += " \(restrictions)" }
        return text
    }

    /// rid-syntax is alphanumerics, `-` and `_` (RFC 8851 §10).
    static func isValidId(_ text: Substring) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
        }
    }
}
