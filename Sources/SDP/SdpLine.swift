import Relay
/// A description line Relay does not interpret (`i=`, `u=`, `b=`, `k=`, ...), kept verbatim so a
/// description can be written back unchanged (RFC 8866 §5).
public struct SdpLine: Equatable, Sendable {
    public var type: Character
    public var value: String

    public init(type: Character, value: String) {
        self.type = type
        self.value = value
    }

    /// Where the line goes among the other uninterpreted lines: RFC 8866 §5 fixes the order
    /// i, u, e, p, c, b, t, r, z, k, a at session level and i, c, b, k, a in a media section.
    var rank: Int {
        switch type {
        case "i": 0
        case "u": 1
        case "e": 2
        case "p": 3
        case "b": 5
        case "r": 7
        case "z": 8
        case "k": 9
        default: 10
        }
    }

    /// Whether the line goes before `c=` (and before `t=` at session level).
    var precedesConnection: Bool { rank < 4 }

    /// Whether the line goes before `t=` at session level.
    var precedesTiming: Bool { rank < 6 }

    var text: String { "\(type)=\(value)" }
}
