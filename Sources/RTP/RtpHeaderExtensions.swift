/// One header extension element: its local identifier and where its data lies in the packet.
public struct RtpHeaderExtensionElement: Equatable, Sendable {
    public var id: UInt8
    public var range: Range<Int>
}

/// The elements of an RTP header extension block, read in place (RFC 8285 §4).
///
/// Supports the one-byte form (profile 0xBEDE) and the two-byte form (profile 0x100x); any other
/// profile yields no elements. Iteration stops at the first malformed element; `validate()`
/// reports it as an error.
public struct RtpHeaderExtensions: Sequence {
    public static let oneByteProfile: UInt16 = 0xBEDE
    public static let twoByteProfileMask: UInt16 = 0xFFF0
    public static let twoByteProfile: UInt16 = 0x1000

    let bytes: UnsafeRawBufferPointer
    let range: Range<Int>
    let profile: UInt16

    public var isOneByte: Bool { profile == Self.oneByteProfile }
    public var isTwoByte: Bool { profile & Self.twoByteProfileMask == Self.twoByteProfile }

    public struct Iterator: IteratorProtocol {
        let bytes: UnsafeRawBufferPointer
        let end: Int
        let oneByte: Bool
        var offset: Int
        var failure: RtpParseError?

        public mutating func next() -> RtpHeaderExtensionElement? {
            while offset < end {
                let first = bytes[offset]
                if oneByte {
                    // RFC 8285 §4.2: ID 0 is padding; ID 15 ends the block.
                    if first == 0 { offset += 1; continue }
                    let id = first >> 4
                    if id == 15 { offset = end; return nil }
                    let length = Int(first & 0x0F) + 1
                    let start = offset + 1
                    guard start + length <= end else {
                        failure = .extensionElementPastEnd(id: id)
                        offset = end
                        return nil
                    }
                    offset = start + length
                    return RtpHeaderExtensionElement(id: id, range: start..<(start + length))
                } else {
                    // RFC 8285 §4.3: ID 0 is padding; one byte of ID, one of length.
                    if first == 0 { offset += 1; continue }
                    guard offset + 2 <= end else {
                        failure = .extensionElementPastEnd(id: first)
                        offset = end
                        return nil
                    }
                    let length = Int(bytes[offset + 1])
                    let start = offset + 2
                    guard start + length <= end else {
                        failure = .extensionElementPastEnd(id: first)
                        offset = end
                        return nil
                    }
                    offset = start + length
                    return RtpHeaderExtensionElement(id: first, range: start..<(start + length))
                }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator {
        let known = isOneByte || isTwoByte
        return Iterator(
            bytes: bytes, end: known ? range.upperBound : range.lowerBound, oneByte: isOneByte,
            offset: range.lowerBound)
    }

    /// The data of the element with local identifier `id`, if present.
    public func element(id: UInt8) -> Range<Int>? {
        for element in self where element.id == id { return element.range }
        return nil
    }

    /// Walks every element and reports the first malformed one.
    public func validate() throws(RtpParseError) {
        var iterator = makeIterator()
        while iterator.next() != nil {}
        if let failure = iterator.failure { throw failure }
    }
}
