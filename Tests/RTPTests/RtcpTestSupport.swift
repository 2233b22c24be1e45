import Testing
@testable import RTP

/// Bytes from hex text: whitespace is ignored and anything after `#` on a line is a
/// comment, so vectors can be laid out word by word with the field names beside them.
func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var high: UInt8?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        for character in line.prefix(while: { $0 != "#" }) {
            guard let nibble = character.hexDigitValue.map(UInt8.init) else { continue }
            if let pending = high {
                bytes.append(pending << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
    }
    return bytes
}

/// Builds `packet`, checks the size and word alignment, parses the bytes back to an equal
/// value, and checks that writing the parsed value gives the same bytes.
@discardableResult
func expectRoundTrip<Kind: RtcpPacketKind>(
    _ packet: Kind, sourceLocation: SourceLocation = #_sourceLocation
) throws -> [UInt8] {
    let bytes = try packet.bytes()
    #expect(bytes.count == packet.marshalSize, sourceLocation: sourceLocation)
    #expect(bytes.count % 4 == 0, sourceLocation: sourceLocation)
    let parsed = try Kind.parse(bytes)
    #expect(parsed == packet, sourceLocation: sourceLocation)
    #expect(try parsed.bytes() == bytes, sourceLocation: sourceLocation)
    return bytes
}

/// Parses `bytes` as `Kind` and checks that building the result gives the same bytes.
func expectRebuilds<Kind: RtcpPacketKind>(
    _ bytes: [UInt8], as kind: Kind.Type, sourceLocation: SourceLocation = #_sourceLocation
) throws -> Kind {
    let parsed = try Kind.parse(bytes)
    #expect(try parsed.bytes() == bytes, sourceLocation: sourceLocation)
    return parsed
}
