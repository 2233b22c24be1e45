/// A STUN message (RFC 8489 §5): class, method, transaction ID and attributes.
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |0 0|     STUN Message Type     |         Message Length        |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                         Magic Cookie                          |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                                                               |
///     |                     Transaction ID (96 bits)                  |
///     |                                                               |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// The message type interleaves the class bits with the method bits:
///
///      0                 1
///      2  3  4 5 6 7 8 9 0 1 2 3 4 5
///     +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
///     |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
///     |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
///     +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Parsing checks the structure and decodes every attribute; it does not check MESSAGE-INTEGRITY
/// or FINGERPRINT, which need the received bytes: see `StunMessageIntegrity` and
/// `StunFingerprint`.
public struct StunMessage: Equatable, Sendable {
    public var messageClass: StunClass
    public var method: StunMethod
    public var transactionId: StunTransactionId
    /// The attributes in order. Attributes after MESSAGE-INTEGRITY other than FINGERPRINT are
    /// not kept: RFC 8489 §14.5 says to ignore them, as they are not authenticated.
    public var attributes: [StunAttribute]

    public init(
        _ messageClass: StunClass, _ method: StunMethod, transactionId: StunTransactionId,
        attributes: [StunAttribute] = []
    ) {
        self.messageClass = messageClass
        self.method = method
        self.transactionId = transactionId
        self.attributes = attributes
    }

    // MARK: Reading attributes

    /// The first attribute of `type`, if any.
    public func attribute(_ type: StunAttributeType) -> StunAttribute? {
        attributes.first { $0.type == type }
    }

    public var username: String? {
        if case .username(let name) = attribute(.username) { return name }
        return nil
    }

    public var xorMappedAddress: TransportAddress? {
        if case .xorMappedAddress(let address) = attribute(.xorMappedAddress) { return address }
        return nil
    }

    public var priority: UInt32? {
        if case .priority(let priority) = attribute(.priority) { return priority }
        return nil
    }

    public var hasUseCandidate: Bool { attribute(.useCandidate) != nil }

    public var iceControlled: UInt64? {
        if case .iceControlled(let tieBreaker) = attribute(.iceControlled) { return tieBreaker }
        return nil
    }

    public var iceControlling: UInt64? {
        if case .iceControlling(let tieBreaker) = attribute(.iceControlling) { return tieBreaker }
        return nil
    }

    public var errorCode: (code: Int, reason: String)? {
        if case .errorCode(let code, let reason) = attribute(.errorCode) { return (code, reason) }
        return nil
    }

    public var software: String? {
        if case .software(let text) = attribute(.software) { return text }
        return nil
    }

    /// The comprehension-required attributes this implementation does not understand, which
    /// oblige a server to refuse a request with 420 (RFC 8489 §6.3.1).
    public var unknownComprehensionRequiredTypes: [StunAttributeType] {
        attributes.compactMap { attribute in
            if case .other(let type, _) = attribute, type.isComprehensionRequired { return type }
            return nil
        }
    }

    // MARK: Parsing

    /// Parses a datagram that holds exactly one STUN message.
    public static func parse(_ bytes: [UInt8]) throws(StunError) -> StunMessage {
        guard bytes.count >= StunWire.headerLength else { throw .truncated(length: bytes.count) }
        guard bytes[0] & 0xC0 == 0 else { throw .leadingBitsSet }
        let messageType = StunWire.u16(bytes, at: 0)
        let length = Int(StunWire.u16(bytes, at: 2))
        guard length % 4 == 0 else { throw .lengthNotMultipleOfFour(length) }
        let available = bytes.count - StunWire.headerLength
        guard length <= available else { throw .lengthPastEnd(declared: length, available: available) }
        guard length == available else { throw .trailingBytes(count: available - length) }
        let cookie = StunWire.u32(bytes, at: 4)
        guard cookie == StunWire.magicCookie else { throw .badMagicCookie(cookie) }
        let transactionId = StunTransactionId(uncheckedBytes: Array(bytes[8..<StunWire.headerLength]))

        var attributes: [StunAttribute] = []
        var afterIntegrity = false
        var afterFingerprint = false
        let end = bytes.count
        var offset = StunWire.headerLength
        // The length is a multiple of 4 and every step is too, so each header fits.
        while offset < end {
            let type = StunAttributeType(rawValue: StunWire.u16(bytes, at: offset))
            let valueLength = Int(StunWire.u16(bytes, at: offset + 2))
            let valueStart = offset + StunWire.attributeHeaderLength
            guard valueLength <= end - valueStart else { throw .attributePastEnd(type) }
            guard !afterFingerprint else { throw .attributeAfterFingerprint(type) }
            if !afterIntegrity || type == .fingerprint {
                attributes.append(try StunAttribute.decode(
                    type: type, value: bytes[valueStart..<(valueStart + valueLength)],
                    transactionId: transactionId))
            }
            afterIntegrity = afterIntegrity || type == .messageIntegrity
            afterFingerprint = type == .fingerprint
            offset = valueStart + StunWire.paddedLength(valueLength)
        }

        return StunMessage(
            classOf(messageType), StunMethod(rawValue: methodOf(messageType)),
            transactionId: transactionId, attributes: attributes)
    }

    /// The USERNAME of a Binding request, read without decoding the other attributes or checking
    /// integrity: enough for a socket loop to find which transport a new request is for. Nil if
    /// the datagram is not a STUN request or carries no valid USERNAME.
    public static func requestUsername(in bytes: [UInt8]) -> String? {
        guard bytes.count >= StunWire.headerLength, bytes[0] & 0xC0 == 0,
            StunWire.u32(bytes, at: 4) == StunWire.magicCookie,
            classOf(StunWire.u16(bytes, at: 0)) == .request,
            let offset = StunWire.offsetOfAttribute(.username, in: bytes)
        else { return nil }
        let start = offset + StunWire.attributeHeaderLength
        let length = Int(StunWire.u16(bytes, at: offset + 2))
        guard length <= bytes.count - start else { return nil }
        return String(validating: bytes[start..<(start + length)], as: UTF8.self)
    }

    /// The local username fragment of a Binding request: the part of USERNAME before the colon
    /// (RFC 8445 §7.2.2), which names the transport the request is for.
    public static func localUfrag(inRequest bytes: [UInt8]) -> Substring? {
        guard let username = requestUsername(in: bytes),
            let colon = username.firstIndex(of: ":")
        else { return nil }
        return username[..<colon]
    }

    // MARK: Building

    /// Encodes the message. `.messageIntegrity` and `.fingerprint` in `attributes` are not
    /// written as they are; instead MESSAGE-INTEGRITY is computed with `integrityKey` when one is
    /// given, and FINGERPRINT appended when `fingerprint` is true, each over the bytes before it
    /// (RFC 8489 §14.5, §14.7).
    public func encoded(integrityKey: [UInt8]? = nil, fingerprint: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        StunWire.append(Self.messageType(messageClass, method), to: &bytes)
        StunWire.append(UInt16(0), to: &bytes)
        bytes += StunWire.magicCookieBytes
        bytes += transactionId.bytes
        for attribute in attributes where attribute.type != .messageIntegrity && attribute.type != .fingerprint {
            attribute.encode(into: &bytes, transactionId: transactionId)
        }
        if let integrityKey {
            StunMessageIntegrity.append(to: &bytes, key: integrityKey)
        }
        if fingerprint {
            StunFingerprint.append(to: &bytes)
        }
        StunWire.setMessageLength(bytes.count - StunWire.headerLength, in: &bytes)
        return bytes
    }

    // MARK: Message type

    static func messageType(_ messageClass: StunClass, _ method: StunMethod) -> UInt16 {
        let m = method.rawValue
        let c = UInt16(messageClass.rawValue)
        return (m & 0x000F) | (m & 0x0070) << 1 | (m & 0x0F80) << 2 | (c & 0b01) << 4 | (c & 0b10) << 7
    }

    static func classOf(_ messageType: UInt16) -> StunClass {
        let bits = UInt8(truncatingIfNeeded: (messageType >> 4 & 0b01) | (messageType >> 7 & 0b10))
        return StunClass(rawValue: bits) ?? .request
    }

    static func methodOf(_ messageType: UInt16) -> UInt16 {
        (messageType & 0x000F) | (messageType >> 1 & 0x0070) | (messageType >> 2 & 0x0F80)
    }
}
