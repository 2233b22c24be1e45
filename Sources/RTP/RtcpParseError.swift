/// Why bytes are not a well-formed RTCP packet (RFC 3550 §6, RFC 4585 §6, RFC 5104 §4.3,
/// draft-alvestrand-rmcat-remb, draft-holmer-rmcat-transport-wide-cc-extensions-01).
///
/// Lengths are in bytes and, for a packet's body, count from the end of its 4-byte header.
public enum RtcpParseError: Error, Equatable, Sendable {
    /// Fewer than the 4 bytes of a common header remain where a packet should start.
    case truncatedHeader(length: Int)
    /// The version field is not 2.
    case badVersion(UInt8)
    /// The length field reaches past the end of the datagram.
    case lengthPastEnd(declared: Int, available: Int)
    /// The padding bit is set but the padding count is zero.
    case zeroPaddingLength
    /// The padding count exceeds the packet's body.
    case paddingLongerThanPacket(padding: Int, available: Int)
    /// A packet of one kind was handed to the parser of another.
    case unexpectedPacketType(type: UInt8, countOrFormat: UInt8)

    /// A sender report shorter than its SSRC and sender information (24 bytes).
    case senderInfoTruncated(length: Int)
    /// A receiver report shorter than its SSRC (4 bytes).
    case receiverReportTruncated(length: Int)
    /// The report count asks for more 24-byte report blocks than the packet holds.
    case reportBlocksPastEnd(count: Int, available: Int)

    /// The SSRC of the SDES chunk at `index` lies past the end of the packet.
    case sourceDescriptionChunkPastEnd(index: Int)
    /// An SDES item's type, length or text runs past the end of the packet.
    case sourceDescriptionItemPastEnd(type: UInt8)
    /// An SDES chunk has no null item to end its item list.
    case sourceDescriptionChunkUnterminated(index: Int)

    /// The source count asks for more SSRCs than the BYE packet holds.
    case goodbyeSourcesPastEnd(count: Int, available: Int)
    /// The BYE reason's length octet reaches past the end of the packet.
    case goodbyeReasonPastEnd(length: Int, available: Int)

    /// An APP packet shorter than its SSRC and name (8 bytes).
    case applicationDefinedTruncated(length: Int)

    /// A feedback packet shorter than its two SSRCs (8 bytes).
    case feedbackHeaderTruncated(length: Int)
    /// A generic NACK whose feedback control information is empty or not whole 4-byte entries.
    case nackTruncated(length: Int)
    /// A PLI carrying feedback control information, which RFC 4585 §6.3.1 forbids.
    case pictureLossIndicationHasBody(length: Int)
    /// A FIR whose feedback control information is empty or not whole 8-byte entries.
    case fullIntraRequestTruncated(length: Int)
    /// A REMB shorter than its identifier, SSRC count and bitrate (8 bytes after the SSRCs).
    case rembTruncated(length: Int)
    /// An application-layer feedback packet whose identifier is not "REMB".
    case rembBadIdentifier(UInt32)
    /// The REMB SSRC count asks for more SSRCs than the packet holds.
    case rembSsrcListPastEnd(count: Int, available: Int)
    /// The REMB mantissa shifted by its exponent does not fit 64 bits.
    case rembBitrateOverflow(exponent: UInt8, mantissa: UInt32)

    /// A transport-wide feedback shorter than its fixed fields (8 bytes after the SSRCs).
    case transportFeedbackTruncated(length: Int)
    /// The packet chunks end before describing `statusCount` packets.
    case transportFeedbackChunksTooShort(described: Int, statusCount: Int)
    /// A packet chunk uses the reserved status symbol 3 for the packet at `index`.
    case transportFeedbackReservedSymbol(index: Int)
    /// The receive deltas end before the delta of the packet at `index`.
    case transportFeedbackDeltasTruncated(index: Int)
    /// The compound's transport-wide feedback describes more statuses than a receiver expands
    /// for one datagram (`RtcpCompound.maximumTransportFeedbackStatuses`).
    case transportFeedbackTooManyStatuses(inCompound: Int, limit: Int)
}
