/// FINGERPRINT (RFC 8489 §14.7): the CRC-32 of the message up to the attribute, XOR 0x5354554E,
/// computed with the header's length field already counting FINGERPRINT. It must be the last
/// attribute; ICE requires it on every check (RFC 8445 §7.2.2) so that STUN is told apart from
/// the media sharing the port.
public enum StunFingerprint {
    /// Checks the FINGERPRINT of a received datagram (already parsed).
    public static func verify(_ bytes: [UInt8]) throws(StunError) {
        guard let offset = StunWire.offsetOfAttribute(.fingerprint, in: bytes),
            offset + StunWire.attributeHeaderLength + 4 <= bytes.count
        else { throw .missingFingerprint }
        let declaredLength = Int(StunWire.u16(bytes, at: offset + 2))
        guard declaredLength == 4 else { throw .badAttributeLength(.fingerprint, length: declaredLength) }
        var covered = Array(bytes[0..<offset])
        StunWire.setMessageLength(offset + 8 - StunWire.headerLength, in: &covered)
        guard value(of: covered[...]) == StunWire.u32(bytes, at: offset + StunWire.attributeHeaderLength) else {
            throw .fingerprintMismatch
        }
    }

    /// Appends FINGERPRINT to an encoded message whose other attributes are all written.
    static func append(to bytes: inout [UInt8]) {
        StunWire.setMessageLength(bytes.count + 8 - StunWire.headerLength, in: &bytes)
        var attribute: [UInt8] = []
        StunWire.append(StunAttributeType.fingerprint.rawValue, to: &attribute)
        StunWire.append(UInt16(4), to: &attribute)
        StunWire.append(value(of: bytes[...]), to: &attribute)
        bytes += attribute
    }

    private static func value(of covered: ArraySlice<UInt8>) -> UInt32 {
        Crc32.checksum(covered) ^ StunWire.fingerprintXor
    }
}
