/// Why an RTCP packet cannot be written: a field the wire format cannot carry, or a buffer too
/// small.
public enum RtcpBuildError: Error, Equatable, Sendable {
    /// The caller's buffer is shorter than `marshalSize`.
    case bufferTooSmall(needed: Int, available: Int)
    /// A packet longer than the 16-bit length field can describe (65536 words).
    case packetTooLong(Int)
    /// More than 31 report blocks, SDES chunks or BYE sources: the count field has 5 bits.
    case countTooLarge(Int)
    /// An SDES item type of 0, which is reserved to end an item list.
    case sourceDescriptionItemTypeZero
    /// An SDES item or a BYE reason longer than the 255 bytes its length octet allows.
    case textTooLong(Int)
    /// An APP subtype above 31: it takes the 5-bit count field.
    case subtypeTooLarge(UInt8)
    /// APP data, report extensions and opaque bodies must be whole 32-bit words: the length
    /// field counts words, and building adds no padding.
    case notWordAligned(Int)
    /// A cumulative loss outside the signed 24-bit range of a report block.
    case cumulativeLostOutOfRange(Int32)
    /// A generic NACK or FIR without any entry, which its RFC forbids.
    case noEntries
    /// More than 255 SSRCs in a REMB: the count field has 8 bits.
    case tooManySsrcs(Int)
    /// More than 65535 packet statuses in one transport-wide feedback.
    case tooManyStatuses(Int)
    /// A reference time outside the signed 24-bit range.
    case referenceTimeOutOfRange(Int32)
}
