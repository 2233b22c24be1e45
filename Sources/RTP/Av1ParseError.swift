/// Why an RTP payload does not start with a valid AV1 aggregation header.
public enum Av1ParseError: Error, Equatable, Sendable {
    /// The payload has no bytes.
    case emptyPayload
    /// N and Z both set: a packet that starts a coded video sequence cannot continue an OBU
    /// from the packet before (AV1 RTP Payload Format, §4.4).
    case sequenceStartInsideObu
}
