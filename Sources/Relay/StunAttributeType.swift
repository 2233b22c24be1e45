/// The 16-bit type of a STUN attribute (RFC 8489 §14, §18.3; RFC 8445 §16.1).
///
/// Types below 0x8000 are comprehension-required: a receiver that does not know one must refuse
/// the message (RFC 8489 §14). Types from 0x8000 are comprehension-optional and may be ignored.
public struct StunAttributeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    public static let username = StunAttributeType(rawValue: 0x0006)
    public static let messageIntegrity = StunAttributeType(rawValue: 0x0008)
    public static let errorCode = StunAttributeType(rawValue: 0x0009)
    public static let unknownAttributes = StunAttributeType(rawValue: 0x000A)
    public static let xorMappedAddress = StunAttributeType(rawValue: 0x0020)
    public static let priority = StunAttributeType(rawValue: 0x0024)
    public static let useCandidate = StunAttributeType(rawValue: 0x0025)
    public static let software = StunAttributeType(rawValue: 0x8022)
    public static let fingerprint = StunAttributeType(rawValue: 0x8028)
    public static let iceControlled = StunAttributeType(rawValue: 0x8029)
    public static let iceControlling = StunAttributeType(rawValue: 0x802A)

    public var isComprehensionRequired: Bool { rawValue < 0x8000 }

    public var description: String {
        "0x" + String(rawValue, radix: 16, uppercase: true)
    }
}
