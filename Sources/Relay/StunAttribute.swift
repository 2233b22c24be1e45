/// One STUN attribute, decoded (RFC 8489 §14; RFC 8445 §16.1).
///
/// Each attribute is a type-length-value, its value padded with zeros to a multiple of 4 bytes;
/// the length counts the value without the padding:
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |         Type                  |            Length             |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                         Value (variable)                ....
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
public enum StunAttribute: Equatable, Sendable {
    /// USERNAME (§14.3): for ICE, "receiver-ufrag:sender-ufrag" (RFC 8445 §7.2.2).
    case username(String)
    /// MESSAGE-INTEGRITY (§14.5): HMAC-SHA1 of the message before it, 20 bytes.
    case messageIntegrity([UInt8])
    /// ERROR-CODE (§14.8): a code from 300 to 699 and a reason phrase.
    case errorCode(code: Int, reason: String)
    /// UNKNOWN-ATTRIBUTES (§14.9): the comprehension-required types a 420 response refuses.
    case unknownAttributes([StunAttributeType])
    /// XOR-MAPPED-ADDRESS (§14.2): the source address the server saw, obfuscated by XOR.
    case xorMappedAddress(TransportAddress)
    /// PRIORITY (RFC 8445 §7.1.1): the priority a peer-reflexive candidate would get.
    case priority(UInt32)
    /// USE-CANDIDATE (RFC 8445 §7.1.2): the controlling agent nominates this pair.
    case useCandidate
    /// SOFTWARE (§14.14): a description of the sender's software.
    case software(String)
    /// FINGERPRINT (§14.7): CRC-32 of the message before it, XOR 0x5354554E.
    case fingerprint(UInt32)
    /// ICE-CONTROLLED (RFC 8445 §7.1.3): the sender believes it is controlled; a tie-breaker.
    case iceControlled(UInt64)
    /// ICE-CONTROLLING (RFC 8445 §7.1.3): the sender believes it is controlling; a tie-breaker.
    case iceControlling(UInt64)
    /// Any other attribute, kept as its raw value.
    case other(StunAttributeType, [UInt8])

    public var type: StunAttributeType {
        switch self {
        case .username: .username
        case .messageIntegrity: .messageIntegrity
        case .errorCode: .errorCode
        case .unknownAttributes: .unknownAttributes
        case .xorMappedAddress: .xorMappedAddress
        case .priority: .priority
        case .useCandidate: .useCandidate
        case .software: .software
        case .fingerprint: .fingerprint
        case .iceControlled: .iceControlled
        case .iceControlling: .iceControlling
        case .other(let type, _): type
        }
    }

    /// The limits on text attributes, in bytes of UTF-8 (RFC 8489 §14.3, §14.8, §14.14).
    static let maximumUsernameLength = 508
    static let maximumReasonLength = 763
    static let maximumSoftwareLength = 763

    /// Decodes the value of an attribute of `type`; the transaction ID is needed to undo the
    /// XOR of an IPv6 XOR-MAPPED-ADDRESS.
    static func decode(
        type: StunAttributeType, value: ArraySlice<UInt8>, transactionId: StunTransactionId
    ) throws(StunError) -> StunAttribute {
        let value = Array(value)
        let length = value.count
        func require(_ valid: Bool) throws(StunError) {
            guard valid else { throw .badAttributeLength(type, length: length) }
        }
        switch type {
        case .username:
            try require(length <= maximumUsernameLength)
            return .username(try text(value, type: type))
        case .messageIntegrity:
            try require(length == StunMessageIntegrity.length)
            return .messageIntegrity(value)
        case .errorCode:
            try require(length >= 4 && length - 4 <= maximumReasonLength)
            return try decodeErrorCode(value)
        case .unknownAttributes:
            try require(length % 2 == 0)
            return .unknownAttributes(stride(from: 0, to: length, by: 2).map {
                StunAttributeType(rawValue: StunWire.u16(value, at: $0))
            })
        case .xorMappedAddress:
            return .xorMappedAddress(try decodeXorAddress(value, transactionId: transactionId))
        case .priority:
            try require(length == 4)
            return .priority(StunWire.u32(value, at: 0))
        case .useCandidate:
            try require(length == 0)
            return .useCandidate
        case .software:
            try require(length <= maximumSoftwareLength)
            return .software(try text(value, type: type))
        case .fingerprint:
            try require(length == 4)
            return .fingerprint(StunWire.u32(value, at: 0))
        case .iceControlled:
            try require(length == 8)
            return .iceControlled(StunWire.u64(value, at: 0))
        case .iceControlling:
            try require(length == 8)
            return .iceControlling(StunWire.u64(value, at: 0))
        default:
            return .other(type, value)
        }
    }

    /// Appends the attribute's header, value and zero padding (RFC 8489 §14: padding bits are
    /// zero on sending and ignored on receipt).
    func encode(into bytes: inout [UInt8], transactionId: StunTransactionId) {
        var value: [UInt8] = []
        switch self {
        case .username(let text), .software(let text):
            value = Array(text.utf8)
        case .messageIntegrity(let mac):
            value = mac
        case .errorCode(let code, let reason):
            // §14.8: the hundreds digit in the class bits, the rest in the number octet.
            value = [0, 0, UInt8(truncatingIfNeeded: code / 100), UInt8(truncatingIfNeeded: code % 100)]
            value += Array(reason.utf8)
        case .unknownAttributes(let types):
            for type in types { StunWire.append(type.rawValue, to: &value) }
        case .xorMappedAddress(let address):
            value = Self.encodeXorAddress(address, transactionId: transactionId)
        case .priority(let priority):
            StunWire.append(priority, to: &value)
        case .useCandidate:
            break
        case .fingerprint(let crc):
            StunWire.append(crc, to: &value)
        case .iceControlled(let tieBreaker), .iceControlling(let tieBreaker):
            StunWire.append(tieBreaker, to: &value)
        case .other(_, let raw):
            value = raw
        }
        precondition(value.count <= Int(UInt16.max), "STUN attribute value longer than 65535 bytes")
        StunWire.append(type.rawValue, to: &bytes)
        StunWire.append(UInt16(value.count), to: &bytes)
        bytes += value
        bytes += repeatElement(0, count: StunWire.paddedLength(value.count) - value.count)
    }

    private static func text(_ value: [UInt8], type: StunAttributeType) throws(StunError) -> String {
        guard let text = String(validating: value, as: UTF8.self) else { throw .invalidUtf8(type) }
        return text
    }

    /// ERROR-CODE (RFC 8489 §14.8):
    ///
    ///     |           Reserved, should be 0         |Class|     Number    |
    ///     |      Reason Phrase (variable)                                ..
    private static func decodeErrorCode(_ value: [UInt8]) throws(StunError) -> StunAttribute {
        let errorClass = value[2] & 0x07
        let number = value[3]
        guard (3...6).contains(errorClass), number <= 99 else {
            throw .badErrorCode(errorClass: errorClass, number: number)
        }
        let reason = try text(Array(value[4...]), type: .errorCode)
        return .errorCode(code: Int(errorClass) * 100 + Int(number), reason: reason)
    }

    /// The 16 bytes an IPv6 address is XORed with: the magic cookie then the transaction ID
    /// (RFC 8489 §14.2).
    private static func xorMask(_ transactionId: StunTransactionId) -> [UInt8] {
        StunWire.magicCookieBytes + transactionId.bytes
    }

    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2):
    ///
    ///     |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
    ///     |                X-Address (Variable)
    ///
    /// The port is XORed with the cookie's top 16 bits; an IPv4 address with the cookie, an
    /// IPv6 address with the cookie followed by the transaction ID.
    private static func decodeXorAddress(
        _ value: [UInt8], transactionId: StunTransactionId
    ) throws(StunError) -> TransportAddress {
        guard value.count >= 4 else { throw .badAttributeLength(.xorMappedAddress, length: value.count) }
        let family = value[1]
        let addressLength: Int
        switch family {
        case 0x01: addressLength = 4
        case 0x02: addressLength = 16
        default: throw .badAddressFamily(family)
        }
        guard value.count == 4 + addressLength else {
            throw .badAttributeLength(.xorMappedAddress, length: value.count)
        }
        let port = StunWire.u16(value, at: 2) ^ UInt16(StunWire.magicCookie >> 16)
        let mask = xorMask(transactionId)
        let address = (0..<addressLength).map { value[4 + $0] ^ mask[$0] }
        guard let result = TransportAddress(addressBytes: address, port: port) else {
            throw .badAddressFamily(family)
        }
        return result
    }

    private static func encodeXorAddress(_ address: TransportAddress, transactionId: StunTransactionId) -> [UInt8] {
        var value: [UInt8] = [0, address.isIPv4 ? 0x01 : 0x02]
        StunWire.append(address.port ^ UInt16(StunWire.magicCookie >> 16), to: &value)
        let mask = xorMask(transactionId)
        value += address.addressBytes.enumerated().map { $0.element ^ mask[$0.offset] }
        return value
    }
}
