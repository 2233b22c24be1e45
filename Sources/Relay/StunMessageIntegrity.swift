import COpenSSL

/// MESSAGE-INTEGRITY (RFC 8489 §14.5): an HMAC-SHA1 over the message up to the attribute, with
/// the header's length field set as if the message ended just after MESSAGE-INTEGRITY, so that a
/// FINGERPRINT added later does not change it.
///
/// With short-term credentials, as ICE uses, the key is the password's bytes (RFC 8489 §9.1.1;
/// ICE passwords are plain ASCII, so OpaqueString processing leaves them as they are). With
/// long-term credentials it is MD5(username ":" realm ":" password) (§9.2.2).
public enum StunMessageIntegrity {
    /// The HMAC-SHA1 length, and the attribute's value length.
    public static let length = 20

    /// Checks the MESSAGE-INTEGRITY of a received datagram (already parsed) against `key`.
    public static func verify(_ bytes: [UInt8], key: [UInt8]) throws(StunError) {
        guard let offset = StunWire.offsetOfAttribute(.messageIntegrity, in: bytes),
            offset + StunWire.attributeHeaderLength + length <= bytes.count
        else { throw .missingIntegrity }
        let declaredLength = Int(StunWire.u16(bytes, at: offset + 2))
        guard declaredLength == length else { throw .badAttributeLength(.messageIntegrity, length: declaredLength) }
        var covered = Array(bytes[0..<offset])
        StunWire.setMessageLength(offset + StunWire.attributeHeaderLength + length - StunWire.headerLength, in: &covered)
        let received = bytes[(offset + StunWire.attributeHeaderLength)...].prefix(length)
        guard let expected = hmacSha1(key: key, data: covered), constantTimeEqual(expected, received) else {
            throw .integrityMismatch
        }
    }

    /// Appends MESSAGE-INTEGRITY to an encoded message whose attributes so far are all written.
    static func append(to bytes: inout [UInt8], key: [UInt8]) {
        StunWire.setMessageLength(bytes.count + StunWire.attributeHeaderLength + length - StunWire.headerLength, in: &bytes)
        guard let mac = hmacSha1(key: key, data: bytes) else {
            preconditionFailure("OpenSSL HMAC-SHA1 failed")
        }
        StunWire.append(StunAttributeType.messageIntegrity.rawValue, to: &bytes)
        StunWire.append(UInt16(length), to: &bytes)
        bytes += mac
    }

    /// HMAC-SHA1 through OpenSSL's one-shot HMAC(); nil only if OpenSSL fails.
    static func hmacSha1(key: [UInt8], data: [UInt8]) -> [UInt8]? {
        var mac = [UInt8](repeating: 0, count: length)
        var macLength: UInt32 = 0
        // A zero-length key still needs a valid pointer: OpenSSL refuses a NULL key.
        let keyBytes = key.isEmpty ? [0] : key
        let result = keyBytes.withUnsafeBytes { keyBuffer in
            data.withUnsafeBufferPointer { dataBuffer in
                mac.withUnsafeMutableBufferPointer { macBuffer in
                    HMAC(
                        EVP_sha1(), keyBuffer.baseAddress, Int32(key.count), dataBuffer.baseAddress,
                        dataBuffer.count, macBuffer.baseAddress, &macLength)
                }
            }
        }
        guard result != nil, macLength == UInt32(length) else { return nil }
        return mac
    }

    /// Compares without an early exit, so the time taken says nothing about where a forged MAC
    /// first differs.
    private static func constantTimeEqual(_ expected: [UInt8], _ received: ArraySlice<UInt8>) -> Bool {
        guard expected.count == received.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(expected, received) { difference |= a ^ b }
        return difference == 0
    }
}
