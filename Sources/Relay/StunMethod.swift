/// The 12-bit method of a STUN message (RFC 8489 §5, §18.2). ICE uses only Binding; other
/// methods (TURN's, for instance) parse but are refused by the ICE agent.
public struct StunMethod: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue & 0x0FFF
    }

    public static let binding = StunMethod(rawValue: 0x001)
}
